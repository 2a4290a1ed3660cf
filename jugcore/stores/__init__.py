"""The store contract every backend implements, and choosing a store from a jugdir."""

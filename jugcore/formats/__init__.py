"""The bytes jugcore and Jug 2.7 agree on: task keys (hashing) and result encodings."""

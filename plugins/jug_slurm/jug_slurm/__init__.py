"""jug-slurm: run a jugfile's workers as a Slurm job array.

``jug submit`` writes and submits the job script (``--dry-run`` prints it,
``--follow`` follows the run to its end, as ``jug follow`` does later), and
``jug cancel`` cancels the jobs it submitted for the project.  Workers record their job with their locks and
failures (``jug_owner_details``), and a lock whose job has ended counts as
dead (``jug_owner_alive``), so the next worker takes its task over.
"""
__all__ = []

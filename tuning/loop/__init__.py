"""The loop as a teacher (issue 23): students learn in one pass what irg_hybrid and the rules did in many.

    keep.py      stage 1: which of the loop's answers a student may learn from
    students.py  training, exporting and the command (`python -m tuning.loop keep | train | export | report`)
    table.py     the last stage: the results table, from the benchmark's own result files
"""

import csv


def average(marks):
    return sum(marks) / len(marks)


passed = 0
with open("marks.csv", encoding="utf-8") as file:
    for row in csv.DictReader(file, delimiter=";"):
        # Empty cells (pupil absent) do not count.
        marks = [float(row[subject]) for subject in ("maths", "english", "history") if row[subject] != ""]
        if len(marks) >= 2 and average(marks) >= 10:
            passed += 1

print(passed)

import csv


def moyenne(notes):
    return sum(notes) / len(notes)


admis = 0
with open("notes.csv", encoding="utf-8") as fichier:
    for ligne in csv.DictReader(fichier, delimiter=";"):
        # Les cases vides (élève absent) ne comptent pas.
        notes = [float(ligne[matiere]) for matiere in ("maths", "francais", "histoire") if ligne[matiere] != ""]
        if len(notes) >= 2 and moyenne(notes) >= 10:
            admis += 1

print(admis)

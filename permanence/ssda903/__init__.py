"""The SSDA903 children looked after return: read it (CSV tables or XML), turn each child's
rows into a `case` record, check the data quality, and update a caseload folder.

read.py    files -> tables of rows (recognised by their column headers)
codes.py   the DfE code lists (data files in codes/) with their labels
convert.py one child's rows -> a case record and data-quality findings
merge.py   a converted record into the one already in the caseload (people's writing kept)
command.py `permanence import ssda903`; quality.py the data-quality workbook
"""

"""CSV import and export of ward data, for ward data admins (issue 4, item 12).

importers/ describe each kind of file; planning.py reads a file and works out what it would do;
services.py keeps an upload, and applies it all or nothing, once; references.py is how files name
wards, places, services, groups and people. It lives in kirklees/ because a councillors file
touches councillors, accounts and wards at once.
"""

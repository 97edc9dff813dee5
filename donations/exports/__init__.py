"""Donors' asset-management exports, read as they come out of the tool.

- `aliases`: the declared table of header aliases, generic and per tool (`tools`: GLPI, Snipe-IT, Intune, Jamf
  Pro, Lansweeper, OCS Inventory, iTop; `console_tools`: Google Admin's ChromeOS list, Entra ID, ServiceNow, Configuration Manager),
  extended by staff in the admin (`HeaderAlias`).
- `columns`: which column holds what, with the confidence of each match, the donor's saved choices first.
- `values`: device types (synonyms, plurals, SMBIOS chassis names, inference from OS and model), sizes with
  their units, dates, and the warnings for implausible values.

Nothing here writes to the database: `donations.manifest` reads the rows and `donations.services` writes them.
"""

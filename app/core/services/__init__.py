"""Use cases both front-ends call: the window and the command line share every rule here.

- `session`: open the library (checks, migrations), the day's backup, the default tags; backups
- `imports`: a batch of files and folders (one list of importable kinds), each item imported,
  already there, or refused with its reason
- `suggestions`: the sentences suggested for reading (claimed and dismissed ones left out)
- `layout_review`: a document's layout repairs, undone and redone
- `documents`: a document's title (rename) and its source URL, author and publication date; what a
  report prints as its source file (the name only unless the user asks for the path)

Rules that the core's own modules hold and both front-ends read: a claim's spans per sentence in both
languages (`claims/alignment.py`), the evidence link policy (`claims/evidence.py`), tags (names, colours,
keys, delete with reassign: `claims/tags.py`), export formats and options
(`export/options.py`), one progress type (`progress.py`)."""

"""Use cases both front-ends call: the window and the command line share every rule here.

- `session`: open the library (checks, migrations), the day's backup, the default tags; backups
- `imports`: a batch of files and folders (one list of importable kinds), each item imported,
  already there, or refused with its reason
- `suggestions`: the sentences suggested for reading (claimed and dismissed ones left out)
- `layout_review`: a document's layout repairs, undone and redone

Rules that the core's own modules hold and both front-ends read: a claim's spans per sentence in both
languages (`claims/alignment.py`), the evidence link policy (`claims/evidence.py`), export formats and
options (`export/options.py`), one progress type (`progress.py`)."""

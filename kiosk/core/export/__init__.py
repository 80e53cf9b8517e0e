"""The export bundle: everything a kiosk holds, in one ZIP that staff carry home. No Qt here.

``docs/export-format.md`` describes the bundle. The package, by responsibility;
each module imports only those listed before it:

- :mod:`~kiosk.core.export.bundle`: what writing and reading share: the format
  constants and member names, :class:`BundleMeta`, :class:`BundleItem`,
  :class:`Titles`, the ``ideas.csv`` columns and cells, the counts,
  :func:`human_bytes`.
- :mod:`~kiosk.core.export.write`: writing a bundle of items atomically
  (:func:`write_bundle`; the receiver's bundle too), :class:`ExportError`.
- :mod:`~kiosk.core.export.from_store`: :func:`export_store`, a kiosk's store
  written straight from its rows.
- :mod:`~kiosk.core.export.read`: reading a bundle back (:func:`verify_bundle`,
  :func:`iter_bundle`).

Import from here: ``from kiosk.core.export import export_store, verify_bundle``.
"""

from kiosk.core.export.bundle import (BLOB_SUFFIX, DRAWINGS_DIR, FORMAT_NAME, FORMAT_VERSION, IDEAS_CSV, MANIFEST,
                                      SUBMISSIONS, BundleItem, BundleMeta, Titles, blob_member, bundle_name,
                                      count_item, csv_cells, csv_header, csv_row, human_bytes, local_time, new_counts,
                                      title_cells)
from kiosk.core.export.from_store import estimate_bytes, export_store, store_items
from kiosk.core.export.read import (BundleLimits, BundleRefused, VerifyReport, iter_bundle, open_bundle,
                                    read_manifest, verify_bundle)
from kiosk.core.export.write import (PROGRESS_EVERY, ExportError, ExportResult, Progress, describe_os_error,
                                     manifest_json, resolve_target, write_bundle)
from kiosk.core.sheet import CSV_DIALECT, FORMULA_PREFIXES, csv_line, spreadsheet_safe

__all__ = [
    # the format and its values
    "BLOB_SUFFIX", "DRAWINGS_DIR", "FORMAT_NAME", "FORMAT_VERSION", "IDEAS_CSV", "MANIFEST", "SUBMISSIONS",
    "BundleItem", "BundleMeta", "Titles", "blob_member", "bundle_name", "count_item", "csv_cells", "csv_header",
    "csv_row", "human_bytes", "local_time", "new_counts", "title_cells",
    # the spreadsheet's dialect and cells (kiosk.core.sheet)
    "CSV_DIALECT", "FORMULA_PREFIXES", "csv_line", "spreadsheet_safe",
    # writing
    "PROGRESS_EVERY", "ExportError", "ExportResult", "Progress", "describe_os_error", "manifest_json",
    "resolve_target", "write_bundle",
    # a kiosk's store
    "estimate_bytes", "export_store", "store_items",
    # reading back
    "BundleLimits", "BundleRefused", "VerifyReport", "iter_bundle", "open_bundle", "read_manifest", "verify_bundle",
]

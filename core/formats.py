"""django-import-export's formats, written through the formula-safe `core.spreadsheets`.

Its own `IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT` deletes a leading "=" (losing data) and
leaves +, - and @ alone; these keep the text and make it inert instead. Admin classes that
export through django-import-export name `SAFE_FORMATS`.
"""

from import_export.formats import base_formats

from core.spreadsheets import write_csv, write_xlsx


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        content, _ = write_xlsx(dataset.headers or [], dataset, title=dataset.title or "Данные")
        return content


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        content, _ = write_csv(dataset.headers or [], dataset)
        return content.decode("utf-8")


SAFE_FORMATS = [SafeXLSX, SafeCSV]

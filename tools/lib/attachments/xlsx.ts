/** .xlsx workbooks, written with exceljs then normalized (fixed dates) for reproducibility. */
import ExcelJS from 'exceljs';
import { columnName, FormulaError } from './formula.js';
import { readWorkbook, columnCount } from './sheets.js';
import { DEFAULT_DATE, dateOf, optStr, record, type ResolvedSpec } from './spec.js';
import { fixCoreDates, normalizeZip } from './zip.js';

export async function buildXlsx(spec: ResolvedSpec): Promise<Buffer> {
  const properties = record(spec.properties, 'properties');
  const created = properties.created ? dateOf(properties.created, 'properties.created') : DEFAULT_DATE;
  const modified = properties.modified ? dateOf(properties.modified, 'properties.modified') : created;

  const workbook = new ExcelJS.Workbook();
  workbook.creator = optStr(properties.creator, 'properties.creator') ?? '';
  workbook.lastModifiedBy =
    optStr(properties.lastModifiedBy, 'properties.lastModifiedBy') ?? workbook.creator;
  workbook.title = optStr(properties.title, 'properties.title') ?? '';
  workbook.subject = optStr(properties.subject, 'properties.subject') ?? '';
  workbook.keywords = optStr(properties.keywords, 'properties.keywords') ?? '';
  workbook.description = optStr(properties.description, 'properties.description') ?? '';
  workbook.company = optStr(properties.company, 'properties.company') ?? '';
  workbook.created = created;
  workbook.modified = modified;
  workbook.calcProperties.fullCalcOnLoad = true;

  for (const sheet of readWorkbook(spec)) {
    const worksheet = workbook.addWorksheet(sheet.name, {
      views: sheet.freeze ? [{ state: 'frozen', ySplit: 1, xSplit: 0 }] : [],
    });
    sheet.widths.forEach((width, index) => {
      worksheet.getColumn(index + 1).width = width;
    });
    for (const row of sheet.rows) {
      for (const cell of row) {
        if (!cell) continue;
        const target = worksheet.getCell(cell.ref);
        const value = cell.value instanceof FormulaError ? { error: cell.value.code } : cell.value;
        if (cell.formula !== undefined) {
          target.value = { formula: cell.formula, result: value } as ExcelJS.CellFormulaValue;
        } else {
          target.value = value as ExcelJS.CellValue;
        }
        const fmt = cell.fmt ?? (cell.value instanceof Date ? 'dd/mm/yyyy' : undefined);
        if (fmt) target.numFmt = fmt;
        if (cell.bold) target.font = { bold: true };
        if (cell.fill) {
          target.fill = {
            type: 'pattern',
            pattern: 'solid',
            fgColor: { argb: `FF${cell.fill.toUpperCase()}` },
          };
        }
        if (cell.note) target.note = cell.note;
      }
    }
    for (const range of sheet.merges) worksheet.mergeCells(range);
    if (sheet.autoFilter) worksheet.autoFilter = `A1:${columnName(columnCount(sheet))}${sheet.rows.length}`;
  }

  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return normalizeZip(buffer, modified, (path, text) =>
    path === 'docProps/core.xml' ? fixCoreDates(text, created, modified) : text,
  );
}

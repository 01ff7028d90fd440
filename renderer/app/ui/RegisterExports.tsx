// A register's take-away copies (查阅登记, 光盘导出登记): printed as PDF, as an Excel workbook and
// as CSV, each made and audited by the core for the range chosen, then saved where the person
// chooses. One row of buttons for every register, so they read and behave the same.
import type { Result } from '../../../shared/errors.js';
import { saveBase64, saveText } from '../download.js';
import { useSubmit } from '../useSubmit.js';
import { ErrorAlert } from './ErrorAlert.js';

export const REGISTER_FORMATS = ['pdf', 'xlsx', 'csv'] as const;
export type RegisterFormat = (typeof REGISTER_FORMATS)[number];

/** What the core answers for each format: the CSV as text, the others as base64. */
export type RegisterFile = { fileName: string; rows: number } & ({ csv: string } | { base64: string });

const TYPES = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export function RegisterExports({
  label,
  buttonText,
  make,
  onSaved,
}: {
  /** The group's accessible name. */
  label: string;
  buttonText(format: RegisterFormat): string;
  make(format: RegisterFormat): Promise<Result<RegisterFile>>;
  onSaved(file: { fileName: string; rows: number }): void;
}) {
  const exporting = useSubmit();
  return (
    <>
      <div className="button-row register-exports" role="group" aria-label={label}>
        {REGISTER_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className="btn btn-secondary"
            disabled={exporting.busy}
            onClick={() =>
              void exporting.run(
                () => make(format),
                (r) => {
                  if ('csv' in r) saveText(r.fileName, r.csv, 'text/csv;charset=utf-8');
                  else saveBase64(r.fileName, r.base64, TYPES[format as 'pdf' | 'xlsx']);
                  onSaved(r);
                },
              )
            }
          >
            {buttonText(format)}
          </button>
        ))}
      </div>
      <ErrorAlert error={exporting.error} />
    </>
  );
}

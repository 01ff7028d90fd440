// Saves a file the core made through the browser's download (Electron asks
// where): an export (the view register, a seal sheet) reaches the disk only where the person puts it.
export function saveText(fileName: string, text: string, type: string): void {
  // The text keeps the core's BOM (U+FEFF), which the Blob writes as UTF-8 EF BB BF: Excel then reads the Chinese right.
  save(fileName, new Blob([text], { type }));
}

/** A binary file (PDF, XLSX) the core sent as base64. */
export function saveBase64(fileName: string, base64: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  save(fileName, new Blob([bytes], { type }));
}

function save(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it started; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

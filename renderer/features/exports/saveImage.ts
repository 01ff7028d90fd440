// A disc image is gigabytes: it never passes through the window as base64. The core registers a
// one-time download for this window's session; the browser (Electron asks where) fetches it from
// the station's endpoint, which answers with Content-Disposition: attachment.
export function saveFromUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

// Saves text as a download. The page's CSP allows blob: URLs for media only, but an
// <a download> pointing at one is a navigation-free download, which it does not restrict.

export function saveText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: the download may not have read the Blob yet.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The QR payload drawn as an SVG image in a data: URL (the CSP allows img-src data:), so no
// markup from a string is ever put into the page.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** Black on white with a quiet zone: phones scan it off a dark control-room screen too. */
export async function qrImageUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function useQrImage(payload: string | null): string | null {
  const [image, setImage] = useState<{ payload: string; url: string } | null>(null);
  useEffect(() => {
    if (!payload) return;
    let cancelled = false;
    qrImageUrl(payload).then(
      (url) => !cancelled && setImage({ payload, url }),
      () => !cancelled && setImage(null),
    );
    return () => {
      cancelled = true;
    };
  }, [payload]);
  return payload && image?.payload === payload ? image.url : null;
}

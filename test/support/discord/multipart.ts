// A small multipart/form-data parser for the bodies discord.js sends with attachments.

export interface UploadedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
  /** The content decoded as UTF-8 (handy for text attachments). */
  text: string;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export function parseMultipart(raw: Buffer, contentType: string): MultipartBody {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = { fields: {}, files: [] };
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    // `--` after the delimiter closes the body.
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    // Part: CRLF headers CRLF CRLF content CRLF
    const part = raw.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = Buffer.from(part.subarray(headerEnd + 4));
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      if (filename !== undefined) {
        result.files.push({ field: name, filename, contentType: type, data, text: data.toString('utf8') });
      } else {
        result.fields[name] = data.toString('utf8');
      }
    }
    pos = next;
  }
  return result;
}

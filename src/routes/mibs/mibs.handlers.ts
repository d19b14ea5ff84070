import { AdapterError } from '../../errors.ts';
import { problem, problemResponse } from '../../http/problem.ts';
import type { AppRouteHandler } from '../../http/types.ts';
import type { MibResolver, MibUpload } from '../../snmp/mib.ts';
import type { deleteMib, listMibs, translate, uploadMibs } from './mibs.routes.ts';

export function listMibsHandler(mib: MibResolver): AppRouteHandler<typeof listMibs> {
  return (c) => c.json({ modules: mib.listModules(), skipped: mib.skipped.map(({ file, reason }) => ({ file, reason })) }, 200);
}

export function uploadMibsHandler(mib: MibResolver): AppRouteHandler<typeof uploadMibs> {
  return async (c) => {
    const contentType = (c.req.header('content-type') ?? '').toLowerCase();
    let files: MibUpload[];
    if (contentType.startsWith('multipart/form-data')) {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch {
        throw invalid('the multipart body cannot be read');
      }
      const parts = Object.values(form).flatMap((value) => (Array.isArray(value) ? value : [value]));
      files = await Promise.all(parts.filter((part): part is File => part instanceof File).map(async (file) => ({ file: file.name || 'upload', text: latin1(await file.arrayBuffer()) })));
      if (files.length === 0) throw invalid('the multipart body has no file');
    } else if (contentType === '' || contentType.startsWith('text/plain') || contentType.startsWith('application/octet-stream')) {
      const text = latin1(await c.req.arrayBuffer());
      if (text.trim() === '') throw invalid('the body is empty: send the text of a MIB module');
      files = [{ file: fileName(c.req.header('content-disposition')), text }];
    } else {
      return problemResponse(c, problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send a MIB module as text/plain, or MIB files as multipart/form-data.')) as never;
    }
    return c.json({ loaded: await mib.uploadModules(files) }, 200);
  };
}

export function deleteMibHandler(mib: MibResolver): AppRouteHandler<typeof deleteMib> {
  return async (c) => {
    await mib.remove(c.req.valid('param').module);
    return c.body(null, 204);
  };
}

export function translateHandler(mib: MibResolver): AppRouteHandler<typeof translate> {
  return (c) => c.json(mib.translate(c.req.valid('query')), 200);
}

function latin1(buffer: ArrayBuffer): string {
  return Buffer.from(buffer).toString('latin1');
}

function fileName(disposition: string | undefined): string {
  const match = disposition && /filename\*?=(?:UTF-8'')?"?([^";]{1,200})"?/i.exec(disposition);
  return match ? match[1] : 'body';
}

function invalid(message: string): AdapterError {
  return new AdapterError('INVALID_INPUT', 'snmp', message);
}

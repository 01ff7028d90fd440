// Cameras carry small text files (binding, clock, status) in whatever form
// their firmware was written for: Windows-style INI, bare `key=value` lines,
// JSON, XML; in UTF-8, GBK/GB18030 or UTF-16 with a BOM. This module turns
// their bytes into one lookup, `key → value`, so a profile only has to name
// the format, the encoding and the keys.
//
// Keys are paths separated by `/`: `Section/Key` in INI (a bare `Key` is one
// outside any section), `device/serial` in JSON, `Device/Serial` or
// `Device/@sn` (an attribute) below the XML document element. INI and
// key=value keys are compared case-insensitively, as Windows and camera
// firmware treat them; JSON and XML keys are exact.

export type StructuredFormat = 'ini' | 'keyValue' | 'json' | 'xml';
export type TextEncoding = 'utf-8' | 'gb18030' | 'auto';

/**
 * Decodes a camera's text file. A BOM wins over the declared encoding (tools
 * on Windows write UTF-16 "Unicode" files). `auto` takes strict UTF-8 when the
 * bytes are valid UTF-8, else GB18030, a superset of GBK that covers what
 * Chinese firmware writes. Throws if declared UTF-8 is not valid UTF-8.
 */
export function decodeCameraText(bytes: Uint8Array, encoding: TextEncoding): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (encoding === 'gb18030') return new TextDecoder('gb18030').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    if (encoding === 'auto') return new TextDecoder('gb18030').decode(bytes);
    throw new Error(`文件不是有效的 UTF-8 文本 / the file is not valid UTF-8 text (${(err as Error).message})`, { cause: err });
  }
}

/** Reads a value by key; undefined when the file has no such key. */
export type KeyLookup = (key: string) => string | undefined;

/** Parses `text` in `format`; throws (bilingual) when the text is not that format. */
export function parseStructured(text: string, format: StructuredFormat): KeyLookup {
  switch (format) {
    case 'ini':
      return lookupInMap(parseIni(text));
    case 'keyValue':
      return lookupInMap(parseKeyValue(text));
    case 'json':
      return lookupJson(text);
    case 'xml':
      return lookupXml(parseXml(text));
  }
}

const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);

function lookupInMap(map: Map<string, string>): KeyLookup {
  return (key) => map.get(key.toLowerCase());
}

function parseIni(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue; // firmware sometimes leaves junk lines; a missing key is reported by the caller
    const key = line.slice(0, eq).trim();
    const path = (section ? `${section}/${key}` : key).toLowerCase();
    if (!out.has(path)) out.set(path, unquote(line.slice(eq + 1).trim()));
  }
  return out;
}

/** `key=value` or `key: value` lines (the first `=` or `:` separates), `#`/`;` comments. */
function parseKeyValue(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const m = /^([^=:]+?)\s*[=:：]\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (!out.has(key)) out.set(key, unquote(m[2]!.trim()));
  }
  return out;
}

function lookupJson(text: string): KeyLookup {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`不是有效的 JSON / not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return (key) => {
    let node: unknown = doc;
    for (const part of key.split('/')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    if (typeof node === 'string') return node;
    if (typeof node === 'number' || typeof node === 'boolean') return String(node);
    return undefined;
  };
}

// --- a small XML reader ------------------------------------------------------
// Enough XML for device files: elements, attributes, text, CDATA, comments,
// processing instructions, the five named entities and numeric references.
// No DTDs (refused), no namespaces beyond the literal prefixed name.

interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

export function parseXml(text: string): XmlElement {
  const fail = (what: string, at: number): never => {
    throw new Error(`不是有效的 XML（第 ${at} 个字符处：${what}） / not valid XML at character ${at}: ${what}`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length > 0) stack[stack.length - 1]!.text += decodeEntities(chunk);
    else if (chunk.trim() !== '') fail('text outside the document element', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail('unclosed comment', lt);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0 || stack.length === 0) fail('bad CDATA section', lt);
      stack[stack.length - 1]!.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) fail('unclosed processing instruction', lt);
      i = end + 2;
    } else if (text.startsWith('<!', lt)) {
      fail('DTDs are not accepted', lt);
    } else if (text.startsWith('</', lt)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(text.slice(lt));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) fail(`unexpected closing tag ${m?.[1] ?? ''}`, lt);
      i = lt + m![0].length;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(lt));
      if (!m) fail('malformed tag', lt);
      const el: XmlElement = { name: m![1]!, attributes: new Map(), children: [], text: '' };
      for (const a of m![2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        el.attributes.set(a[1]!, decodeEntities(a[2] ?? a[3] ?? ''));
      }
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) fail('a second document element', lt);
      else root = el;
      if (m![3] !== '/') stack.push(el);
      i = lt + m![0].length;
    }
  }
  if (stack.length > 0) fail(`element <${stack[stack.length - 1]!.name}> is not closed`, text.length);
  if (!root) fail('no document element', 0);
  return root!;
}

function lookupXml(root: XmlElement): KeyLookup {
  return (key) => {
    let node: XmlElement | undefined = root;
    const parts = key.split('/');
    for (const [index, part] of parts.entries()) {
      if (part.startsWith('@')) return index === parts.length - 1 ? node.attributes.get(part.slice(1)) : undefined;
      node = node.children.find((c) => c.name === part);
      if (!node) return undefined;
    }
    return node.children.length === 0 ? node.text.trim() : undefined;
  };
}

/**
 * A small strict XML reader (elements, attributes, text, the five entities and numeric references,
 * comments and the declaration): enough to read a JUnit file the way the agent's JUnit reader does
 * (results.publish, and the tests), and to fail on malformed XML as XmlDocument.Load does.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    const decoded = ENTITIES[entity];
    if (decoded === undefined) throw new Error(`unknown entity ${match}`);
    return decoded;
  });
}

export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^\s*<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/&(?!(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);)/.test(body)) throw new Error('bare & in XML');
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, children: [], text: '' }];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = tag.exec(body)) !== null) {
    consumed = tag.lastIndex;
    const top = stack[stack.length - 1] as XmlElement;
    if (match[5] !== undefined) {
      top.text += decodeEntities(match[5]);
      continue;
    }
    const [, closing, name = '', attributeText = '', selfClosing] = match;
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of attributeText.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      attributes[attribute[1] as string] = decodeEntities(attribute[2] as string);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (consumed !== body.length) throw new Error(`malformed XML at '${body.slice(consumed, consumed + 40)}'`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name ?? '?'}>`);
  const roots = (stack[0] as XmlElement).children;
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
  return roots[0] as XmlElement;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

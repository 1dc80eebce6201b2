/**
 * The compile-time part of cel-go's type check that matters most to CRD authors: a field
 * selected from `self` (or `oldSelf`, or a comprehension variable over them) must be declared
 * by the schema, else the rule fails with `undefined field 'replcias'` when the CRD is written
 * rather than on every object. Values the schema leaves open (preserve-unknown-fields,
 * int-or-string, anything computed) are not checked.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { escapeCelPropertyName } from '../../../cel/index.ts';
import { additionalPropertiesSchema, type JSONSchemaProps } from '../structural/schema-props.ts';

interface Node {
  op: string;
  args: unknown;
  pos?: number;
}

/** An undefined field, at the offset of the `.` selecting it. */
export interface UndefinedField {
  field: string;
  offset: number;
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const RESOURCE_META: JSONSchemaProps = {
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
};

/** The schema `self` has at a node: a resource root also has apiVersion, kind and metadata (name, generateName). */
export function celSelfSchema(node: JSONSchemaProps, resourceRoot: boolean): JSONSchemaProps {
  if (!resourceRoot && !node['x-kubernetes-embedded-resource']) return node;
  const properties = { ...(node.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: RESOURCE_META };
  return { ...node, type: 'object', properties };
}

function propertyNamed(schema: JSONSchemaProps, celName: string): JSONSchemaProps | undefined {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (escapeCelPropertyName(name) === celName) return celSelfSchema(property, false);
  }
  return undefined;
}

function elementOf(schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!schema) return undefined;
  if (schema.type === 'array' && schema.items && !Array.isArray(schema.items)) return celSelfSchema(schema.items, false);
  if (schema.type === 'object' && !schema.properties && additionalPropertiesSchema(schema)) return { type: 'string' };
  return undefined;
}

function isClosedObject(schema: JSONSchemaProps): boolean {
  return schema.type === 'object' && schema.properties !== undefined && !schema['x-kubernetes-preserve-unknown-fields'];
}

/**
 * The first field selected from a schema-typed value that its schema does not declare, or
 * undefined. `scope` gives the schemas of `self` / `oldSelf`.
 */
export function findUndefinedField(ast: ASTNode, scope: ReadonlyMap<string, JSONSchemaProps>): UndefinedField | undefined {
  let found: UndefinedField | undefined;

  const visitAll = (v: unknown, vars: ReadonlyMap<string, JSONSchemaProps | undefined>): void => {
    if (Array.isArray(v)) v.forEach((x) => visitAll(x, vars));
    else if (v !== null && typeof v === 'object' && 'op' in v) resolve(v as Node, vars);
  };

  const resolve = (node: Node, vars: ReadonlyMap<string, JSONSchemaProps | undefined>): JSONSchemaProps | undefined => {
    if (found) return undefined;
    switch (node.op) {
      case 'id':
        return vars.get(node.args as string);
      case '.':
      case '.?': {
        const [base, field] = node.args as [Node, string];
        const schema = resolve(base, vars);
        if (!schema) return undefined;
        if (schema.properties) {
          const property = propertyNamed(schema, field);
          if (!property && isClosedObject(schema) && node.op === '.') found = { field, offset: Math.max(0, (node.pos ?? 1) - 1) };
          return property;
        }
        const additional = additionalPropertiesSchema(schema);
        return additional ? celSelfSchema(additional, false) : undefined;
      }
      case '[]': {
        const [base, key] = node.args as [Node, Node];
        const schema = resolve(base, vars);
        visitAll(key, vars);
        if (!schema) return undefined;
        if (schema.type === 'array') return elementOf(schema);
        const additional = additionalPropertiesSchema(schema);
        if (additional && !schema.properties) return celSelfSchema(additional, false);
        return key.op === 'value' && typeof key.args === 'string' && schema.properties ? propertyNamed(schema, escapeCelPropertyName(key.args) ?? '') : undefined;
      }
      case 'rcall': {
        const [name, receiver, args] = node.args as [string, Node, Node[]];
        const receiverSchema = resolve(receiver, vars);
        if (MACROS.has(name) && args.length >= 2 && args[0]?.op === 'id') {
          const inner = new Map(vars);
          inner.set(args[0].args as string, elementOf(receiverSchema));
          args.slice(1).forEach((a) => visitAll(a, inner));
        } else visitAll(args, vars);
        return undefined;
      }
      default:
        visitAll(node.args, vars);
        return undefined;
    }
  };

  resolve(ast as unknown as Node, scope);
  return found;
}

import { describe, expect, it } from 'vitest';
import { compileCel, CelEvaluationError } from './compile.ts';
import { jsonToCel } from './values.ts';

function run(expression: string, self: unknown = {}): unknown {
  const compiled = compileCel(expression, ['self']);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.program.evaluate({ self: jsonToCel(self) });
}

describe('compileCel', () => {
  it.each([
    ['self.replicas <= self.max', { replicas: 3, max: 5 }, true],
    ['self.ratio * 2.0', { ratio: 1.5 }, 3],
    ['has(self.foo)', {}, false],
    ['self.?foo.orValue("none")', {}, 'none'],
    ['self.items.all(i, i.name.startsWith("a"))', { items: [{ name: 'ab' }, { name: 'ac' }] }, true],
    ['self.items.map(i, i.n).sum()', { items: [{ n: 1 }, { n: 2 }] }, 3n],
    ['[3, 1, 2].isSorted()', {}, false],
    ['[3, 1, 2].max()', {}, 3n],
    ['["a", "b"].indexOf("b")', {}, 1n],
    ['sets.contains(["a", "b"], ["b"]) && sets.intersects([1], [1, 2]) && sets.equivalent([1, 2], [2, 1])', {}, true],
    ['"hello".charAt(1) + "a-b".replace("-", "_") + "abc".reverse()', {}, 'ea_bcba'],
    ['"abc123def45".findAll("[0-9]+")', {}, ['123', '45']],
    ['"abc".lowerAscii().upperAscii()', {}, 'ABC'],
    ['quantity("1Gi").isGreaterThan(quantity("1000Mi")) && quantity("500m").add(quantity("1500m")).asInteger() == 2', {}, true],
    ['isQuantity("10Mi") && !isQuantity("ten")', {}, true],
    ['ip("10.0.0.1").family() == 4 && ip("127.0.0.1").isLoopback() && ip.isCanonical("2001:db8::1")', {}, true],
    ['cidr("10.0.0.0/8").containsIP("10.2.3.4") && !cidr("10.0.0.0/8").containsCIDR("11.0.0.0/16")', {}, true],
    ['string(cidr("192.168.1.7/24").masked())', {}, '192.168.1.0/24'],
    ['url("https://example.com:8443/a/b?x=1&x=2").getPort() == "8443" && url("https://example.com/a").getHostname() == "example.com"', {}, true],
    ['format.dns1123Label().validate("Bad_Name").hasValue() && !format.named("dns1123Label").value().validate("ok").hasValue()', {}, true],
  ])('%s', (expression, self, expected) => {
    expect(run(expression, self)).toEqual(expected);
  });

  it('reports syntax errors and undeclared references as cel-go prints them', () => {
    expect(compileCel('self.a +', ['self'])).toEqual({ ok: false, message: 'ERROR: <input>:1:9: unexpected token: EOF\n | self.a +\n | ........^' });
    expect(compileCel('foo == 1', ['self'])).toEqual({ ok: false, message: "ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo == 1\n | ^" });
  });

  it('lists the declared variables an expression refers to and its result type', () => {
    const compiled = compileCel('self.x == oldSelf.x', ['self', 'oldSelf']);
    expect(compiled.ok && [...compiled.program.references].sort()).toEqual(['oldSelf', 'self']);
    const message = compileCel('"x is " + string(self.x)', ['self', 'oldSelf']);
    expect(message.ok && [...message.program.references]).toEqual(['self']);
    const literal = compileCel('"text"', ['self']);
    expect(literal.ok && literal.program.type).toBe('string');
  });

  it.each([
    ['self.missing', 'no such key: missing'],
    ['1 / 0', 'division by zero'],
    ['[1][3]', 'no such key: index out of bounds, index 3 >= size 1'],
    ['quantity("ten")', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ])('fails %s at run time with cel-go text', (expression, message) => {
    expect(() => run(expression)).toThrowError(new CelEvaluationError(message));
  });
});

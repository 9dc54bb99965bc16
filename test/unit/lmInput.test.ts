import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInput, type ObjectSchema } from '../../src/lm/inputSchema';
import { bold } from '../../src/lm/markdown';
import { forMarkdown as escapeMarkdown, plainText } from '../../src/shared/text';
import { LM_TOOLS } from '../../src/lm/toolSet';
import { renderMarkdown } from './lmHarness';

const HOSTILE = [
  '[x](command:workbench.action.quit)',
  '[Open me](command:workbench.action.quit)',
  '<img src=x onerror=alert(1)>',
  '<script>window.__pwned=1</script>',
  'javascript:alert(document.cookie)',
  '**bold** _it_ `code` $(alert)',
  'Line one\nLine two\r\n\tTabbed',
  'Invoice \u202Efdp.exe',
  '# heading\n---\n> quote\n1. list',
  '![img](https://example.invalid/x.png) https://example.invalid adele@contoso.com www.example.invalid',
  '\\[x\\](command:a) \\\\[y](command:b)',
  '&lt;img src=x onerror=alert(1)&gt; &#91;x&#93;(command:c)',
];

describe('escapeMarkdown', () => {
  it('turns hostile names into literal text: no link, image, HTML, code, heading or extra line', () => {
    for (const text of HOSTILE) {
      const md = `Remove ${bold(text)} from ${bold('Sales')}`;
      assert.ok(!/[\r\n]/.test(md), `line break survived in ${JSON.stringify(md)}`);
      const html = renderMarkdown(md);
      assert.doesNotMatch(html, /<a\s|<img|<script|<code|<h\d|<em>|<blockquote|<ol|<ul|<hr/i, `rendered ${JSON.stringify(text)} as ${html}`);
      // Exactly one paragraph with exactly the two bold names.
      assert.equal((html.match(/<strong>/g) ?? []).length, 2, html);
    }
  });

  it('keeps the text readable: escapes render back to the original characters', () => {
    const html = renderMarkdown(escapeMarkdown('Sales (EMEA) [2026] #1 *top*'));
    assert.equal(html.trim(), '<p>Sales (EMEA) [2026] #1 *top*</p>');
    assert.equal(escapeMarkdown('a.b'), 'a\\.b');
  });

  it('shows line breaks, bidi overrides and control characters instead of acting on them', () => {
    assert.equal(plainText('a\nb'), 'a b');
    assert.equal(plainText('x\u202Ey'), 'x\uFFFDy');
    assert.equal(plainText('n\u0000ull'), 'n\uFFFDull');
  });
});

const schema: ObjectSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
    kind: { type: 'string', enum: ['security', 'microsoft365'] },
    maxItems: { type: 'integer', minimum: 1, maximum: 999 },
    flag: { type: 'boolean' },
    ids: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 2, uniqueItems: true },
    changes: { type: 'object', properties: { jobTitle: { type: 'string', maxLength: 5 } }, minProperties: 1, additionalProperties: false },
  },
  required: ['kind'],
  additionalProperties: false,
};

describe('checkInput', () => {
  it('accepts input that matches the schema', () => {
    assert.equal(checkInput(schema, { kind: 'security', maxItems: 5, flag: false, ids: ['a'], changes: { jobTitle: 'Lead' } }), undefined);
  });

  const cases: Array<[string, unknown, RegExp, string?]> = [
    ['not an object', 'hello', /must be an object/],
    ['an array', [], /must be an object/],
    ['null', null, /must be an object/],
    ['extra property', { kind: 'security', extra: 1 }, /Unknown property "extra"/, 'extra'],
    ['missing required', {}, /kind is required/, 'kind'],
    ['wrong enum', { kind: 'distribution' }, /one of: security, microsoft365/, 'kind'],
    ['number as string', { kind: 'security', maxItems: '50' }, /whole number from 1 to 999/, 'maxItems'],
    ['fraction', { kind: 'security', maxItems: 2.5 }, /whole number/, 'maxItems'],
    ['too large', { kind: 'security', maxItems: 1000 }, /whole number from 1 to 999/, 'maxItems'],
    ['zero', { kind: 'security', maxItems: 0 }, /whole number/, 'maxItems'],
    ['boolean as string', { kind: 'security', flag: 'true' }, /true or false/, 'flag'],
    ['bad guid', { kind: 'security', id: 'not-a-guid' }, /object id \(GUID\)/, 'id'],
    ['list of numbers', { kind: 'security', ids: [1] }, /must be a string/, 'ids[0]'],
    ['list too long', { kind: 'security', ids: ['a', 'b', 'c'] }, /limit is 2/, 'ids'],
    ['duplicates', { kind: 'security', ids: ['a', 'a'] }, /twice/, 'ids'],
    ['nested extra', { kind: 'security', changes: { mail: 'x' } }, /Unknown property "mail"/, 'changes.mail'],
    ['nested empty', { kind: 'security', changes: {} }, /at least 1/, 'changes'],
    ['nested too long', { kind: 'security', changes: { jobTitle: 'Engineer' } }, /limit is 5/, 'changes.jobTitle'],
    ['null value', { kind: null }, /must be a string; got null/, 'kind'],
  ];
  for (const [name, input, message, field] of cases) {
    it(`refuses ${name}`, () => {
      const problem = checkInput(schema, input);
      assert.ok(problem, 'expected a problem');
      assert.match(problem.message, message);
      assert.equal(problem.field, field);
    });
  }

  it('lets a tool without required parameters be called with no input', () => {
    assert.equal(checkInput(LM_TOOLS.entra_get_profile.inputSchema, undefined), undefined);
    assert.ok(checkInput(LM_TOOLS.entra_search_groups.inputSchema, undefined));
  });
});

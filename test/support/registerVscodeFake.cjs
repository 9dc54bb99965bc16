// Lets plain-Node tests load extension modules: `require('vscode')` resolves to the in-memory fake.
const Module = require('node:module');
const path = require('node:path');
const fake = path.join(__dirname, 'vscodeFake.ts');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return original.call(this, fake, ...rest);
  return original.call(this, request, ...rest);
};

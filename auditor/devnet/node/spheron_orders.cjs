// Spheron orders as Spheron's own SDK writes them (npm @spheron/protocol-sdk, pinned in package.json).
// stdin: a JSON array of ICL documents (the YAML a tenant writes; JSON is YAML). stdout: a JSON array, per
// document, of {spec, maxPrice, numOfBlocks} from the SDK's yamlToOrderDetails (compressOrderSpec +
// convertGpuAttributes), or {error}. yamlToOrderDetails is what sdk.deployment.createDeployment calls before it
// sends OrderRequest.createOrder; the bundle keeps it module-private, so the bundle is loaded unmodified with one
// line appended that exports it. Nothing of the SDK is copied here.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');

const entry = require.resolve('@spheron/protocol-sdk', { paths: [process.cwd(), __dirname] });
const bundle = path.join(path.dirname(entry), 'index.js');
const sdk = new Module(bundle, module);
sdk.filename = bundle;
sdk.paths = Module._nodeModulePaths(path.dirname(bundle));
sdk._compile(fs.readFileSync(bundle, 'utf8') +
  '\nmodule.exports.__yamlToOrderDetails = yamlToOrderDetails;\n', bundle);

const documents = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = documents.map((doc) => {
  const made = sdk.exports.__yamlToOrderDetails(typeof doc === 'string' ? doc : JSON.stringify(doc));
  if (made.error) return { error: made.message };
  const d = made.orderDetails;
  return { spec: d.spec, maxPrice: d.maxPrice.toString(), numOfBlocks: d.numOfBlocks.toString() };
});
process.stdout.write(JSON.stringify(out));

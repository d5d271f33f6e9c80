// claims-run's choice of experiments: the registry's for the claims at a tier, each once, with
// stand-ins replacing those of the same name (the paper view's test runs them), and a stand-in
// no chosen claim needs refused with a ConfigError naming it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../src/core/errors.js';
import { EXPERIMENTS } from '../src/experiment/claims.js';
import { experimentsToRun, selectClaims } from '../src/experiment/claims-run.js';

test('C1 and C4 at the quick tier need k2, alpha and alpha-high, in registry order; a stand-in replaces its namesake only', () => {
  const claims = selectClaims(['C4', 'C1']);
  assert.equal(
    experimentsToRun(claims, 'quick').map((e) => e.name),
    ['k2', 'alpha', 'alpha-high'],
  );
  const small = structuredClone(EXPERIMENTS.k2!);
  small.spec.d = [64, 128];
  delete small.spec.extraD;
  const got = experimentsToRun(claims, 'quick', [small]);
  assert.is(got[0], small);
  assert.is(got[1], EXPERIMENTS.alpha);
  assert.equal(EXPERIMENTS.k2!.spec.d, [256, 1024, 4096], 'the registry is left as it was');
});

test('a stand-in for an experiment the claims do not need is refused, naming it and the ones they need', () => {
  const claims = selectClaims(['C1']);
  try {
    experimentsToRun(claims, 'quick', [EXPERIMENTS.alpha!]);
    assert.unreachable('accepted a stand-in C1 does not read');
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.match((e as Error).message, /`experiments` must be one the claims need at the quick tier: k2, got/);
    assert.match((e as Error).message, /alpha/);
  }
});

test.run();

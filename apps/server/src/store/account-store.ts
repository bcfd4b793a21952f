import type { Role } from '@cocart-sessions/core';

export type { Role };

export interface User {
  id: number;
  login: string;
  /** `''` when the user has none. */
  email: string;
  role: Role;
  passwordHash: string;
}

/** A user to write; the store assigns `id`. */
export type NewUser = Omit<User, 'id'>;

/** The fields `updateUser` may change; absent ones are kept. */
export type UserPatch = Partial<Pick<User, 'email' | 'role' | 'passwordHash'>>;

export interface ApiKey {
  id: number;
  userId: number;
  consumerKeyHash: string;
  /** Last 7 characters of the consumer key, as WooCommerce shows it. */
  consumerKeyEnding: string;
  secretHash: string;
  description: string;
  /** Unix seconds. */
  createdAt: number;
}

/** An API key to write; the store assigns `id` and `createdAt`. */
export type NewApiKey = Omit<ApiKey, 'id' | 'createdAt'>;

/** Users and their API keys (auth/accounts.ts builds the hashing on top). */
export interface AccountStore {
  addUser(u: NewUser): Promise<User>;
  updateUser(login: string, patch: UserPatch): Promise<User | undefined>;
  /** By exact login, or by email (case-insensitive). */
  findUser(loginOrEmail: string): Promise<User | undefined>;
  findUserById(id: number): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** Removes the user and, by cascade, their API keys. */
  removeUser(login: string): Promise<boolean>;
  countUsers(): Promise<number>;
  addApiKey(k: NewApiKey): Promise<ApiKey>;
  findApiKey(consumerKeyHash: string): Promise<ApiKey | undefined>;
  listApiKeys(): Promise<ApiKey[]>;
  /** By key hash, or by key ending when exactly one key has that ending. */
  revokeApiKey(consumerKeyEndingOrHash: string): Promise<boolean>;
}

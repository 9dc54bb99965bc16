import { Select } from './odata';
import type { User } from './types';

type Value = string | boolean | null | undefined;

/**
 * A column of few distinct values (job titles, departments, user types, enabled flags): each row holds
 * a 2-byte code (4 bytes once there are more than 65,536 distinct values) into a table of the values.
 */
class CodedColumn {
  private codes: Uint16Array | Uint32Array = new Uint16Array(64);
  private readonly values: Value[] = [];
  private readonly index = new Map<Value, number>();

  set(row: number, value: Value): void {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    if (row >= this.codes.length || (code > 0xffff && this.codes instanceof Uint16Array)) {
      const wide = code > 0xffff || this.codes instanceof Uint32Array;
      const size = row >= this.codes.length ? Math.max(64, Math.ceil(this.codes.length * 1.5), row + 1) : this.codes.length;
      const next = wide ? new Uint32Array(size) : new Uint16Array(size);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[row] = code;
  }

  get(row: number): Value {
    return this.values[this.codes[row] ?? 0];
  }

  /** Drops the capacity beyond `rows`. */
  trim(rows: number): void {
    if (this.codes.length > rows) this.codes = this.codes.slice(0, rows);
  }
}

/**
 * Users with the fields the Users view shows (`id`, `displayName`, `userPrincipalName`, `mail`, `jobTitle`,
 * `department`, `accountEnabled`, `userType`), stored column-wise: strings that repeat across users are
 * stored once, and `mail` shares the user principal name's string when they are equal. Holding a whole
 * tenant this way takes well under half the heap of the same users as objects. Other properties are not kept.
 * `at(i)` and iteration give plain {@link User} objects, made on demand.
 */
export class UserList implements Iterable<User> {
  private readonly ids: string[] = [];
  private readonly names: Array<string | null | undefined> = [];
  private readonly upns: Array<string | null | undefined> = [];
  /** `undefined` where mail equals the user principal name; `missing` where the user had no mail property. */
  private readonly mails: Array<string | null | undefined | typeof MISSING> = [];
  private readonly jobTitles = new CodedColumn();
  private readonly departments = new CodedColumn();
  private readonly enabled = new CodedColumn();
  private readonly userTypes = new CodedColumn();

  /** The properties kept, in the order `at()` gives them. */
  static readonly fields: readonly string[] = Select.userList;

  static from(users: Iterable<User>): UserList {
    const list = new UserList();
    list.push(users);
    return list;
  }

  get length(): number {
    return this.ids.length;
  }

  /** Appends users (for example a page as it arrives; the page itself need not be kept). */
  push(users: Iterable<User>): void {
    for (const u of users) {
      const row = this.ids.length;
      const upn = u.userPrincipalName;
      this.ids.push(u.id);
      this.names.push(u.displayName);
      this.upns.push(upn);
      this.mails.push(!('mail' in u) ? MISSING : u.mail === upn && typeof upn === 'string' ? undefined : u.mail);
      this.jobTitles.set(row, u.jobTitle);
      this.departments.set(row, u.department);
      this.enabled.set(row, u.accountEnabled);
      this.userTypes.set(row, u.userType);
    }
  }

  /** The user at `index` (negative counts from the end), or undefined. */
  at(index: number): User | undefined {
    const i = index < 0 ? this.ids.length + index : index;
    const id = this.ids[i];
    if (id === undefined) return undefined;
    const upn = this.upns[i];
    const mail = this.mails[i];
    const user: User = { id };
    assign(user, 'displayName', this.names[i]);
    assign(user, 'userPrincipalName', upn);
    if (mail !== MISSING) user.mail = mail === undefined ? (upn ?? null) : mail;
    assign(user, 'jobTitle', this.jobTitles.get(i));
    assign(user, 'department', this.departments.get(i));
    assign(user, 'accountEnabled', this.enabled.get(i));
    assign(user, 'userType', this.userTypes.get(i));
    return user;
  }

  /** Object id of the user at `index`, without making the object. */
  idAt(index: number): string | undefined {
    return this.ids[index];
  }

  *[Symbol.iterator](): IterableIterator<User> {
    for (let i = 0; i < this.ids.length; i++) yield this.at(i) as User;
  }

  toArray(): User[] {
    return [...this];
  }

  /** Releases spare capacity once the list is complete. */
  seal(): this {
    const rows = this.ids.length;
    for (const column of [this.jobTitles, this.departments, this.enabled, this.userTypes]) column.trim(rows);
    return this;
  }
}

const MISSING = Symbol('missing');

/** Sets the property only when the source had it (undefined = absent), keeping the objects' shape like Graph's. */
function assign(user: User, key: string, value: Value): void {
  if (value !== undefined) user[key] = value;
}

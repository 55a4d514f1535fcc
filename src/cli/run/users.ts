import readline from 'node:readline';

import { addUserAs, createTokenAs, disableUserAs, setPasswordAs } from '../../actions/admin';
import { parseRole, type Role, ROLE_LABELS } from '../../domain/access';
import { ValidationError } from '../../domain/errors';
import { recordAudit } from '../../store/audit';
import { revokeToken } from '../../store/credentials';
import { getUserByName, listUsers } from '../../store/users';
import { cliActor, config, printJson, withStore } from '../context';
import { formatTable } from '../table';

/**
 * Reads a password: asked without echo on a terminal (twice), or the first line of standard input when piped
 * (for scripts). Never an option: options end up in shell history and process lists.
 */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new ValidationError('mật khẩu', 'cần mật khẩu ở đầu vào chuẩn (một dòng)');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const out = rl as unknown as { _writeToOutput(s: string): void };
      process.stderr.write(prompt);
      out._writeToOutput = () => undefined;
      rl.question('', (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Mật khẩu: ');
  const second = await ask('Nhập lại mật khẩu: ');
  if (first !== second) throw new ValidationError('mật khẩu', 'hai lần nhập không giống nhau');
  return first;
}

/** `loa users list` */
export async function usersList(options: { json?: boolean }): Promise<void> {
  const found = await withStore((db) => listUsers(db.kysely));
  if (options.json) return printJson(found);
  if (found.length === 0) return console.log('Chưa có tài khoản nào. Tạo quản trị đầu tiên: loa users add TÊN --admin');
  console.log(
    formatTable(
      found.map((u) => ({
        ...u,
        roleLabel: ROLE_LABELS[u.role],
        unit: u.unitId ?? '(toàn tỉnh)',
        state: u.disabled ? 'đã khóa' : 'hoạt động',
      })),
      [
        ['name', 'Tên', 30],
        ['roleLabel', 'Vai trò'],
        ['unit', 'Đơn vị', 30],
        ['state', 'Trạng thái'],
      ],
    ),
  );
}

/** `loa users add` */
export async function usersAdd(
  name: string,
  options: { unit?: string; role: string; admin?: boolean; as?: string },
): Promise<void> {
  const role: Role = options.admin ? 'admin' : parseRole(options.role, '--role');
  // The first admin is made at the server before anyone exists to name: the CLI then records the new admin as the actor.
  const who = cliActor({ as: options.as ?? config.user ?? name });
  const password = await readPassword();
  const user = await withStore((db) => addUserAs(db.kysely, who, { name, unit: options.unit ?? null, role, password }));
  console.log(
    `Đã thêm tài khoản "${user.name}": ${ROLE_LABELS[user.role]}${user.unitId ? `, đơn vị ${user.unitId}` : ', toàn tỉnh'}.`,
  );
}

/** `loa users passwd` */
export async function usersPasswd(name: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  const password = await readPassword();
  await withStore((db) => setPasswordAs(db.kysely, who, name, password));
  console.log(`Đã đổi mật khẩu của "${name}".`);
}

/** `loa users disable` */
export async function usersDisable(name: string, options: { as?: string }): Promise<void> {
  await withStore((db) => disableUserAs(db.kysely, cliActor(options), name));
  console.log(`Đã khóa tài khoản "${name}".`);
}

/** `loa users token` */
export async function usersToken(name: string, options: { label: string; as?: string }): Promise<void> {
  const who = cliActor(options);
  const { token } = await withStore((db) => createTokenAs(db.kysely, who, name, options.label));
  console.log(token);
}

/** `loa users revoke-token` */
export async function usersRevokeToken(name: string, id: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  await withStore(async (db) => {
    const user = await getUserByName(db.kysely, name);
    await revokeToken(db.kysely, user.id, Number(id));
    await recordAudit(db.kysely, who, 'token.revoke', id, user.unitId, { user: user.name });
  });
  console.log(`Đã thu hồi mã số ${id} của "${name}".`);
}

import { sql } from 'kysely';

import { recordAudit } from '../src/store/audit';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { envFor, runLoa, testConfig } from './support/services';

// Each test spawns the loa command several times; on a busy 2-core machine one spawn takes seconds.
jest.setTimeout(240_000);

describe.each(DATABASE_KINDS)('accounts, four-eyes, pause and audit from the loa command on %s', (kind) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let itemId: number;
  const loa = (args: string[], user: string, input?: string) => runLoa(args, { ...env, LOA_USER: user }, input);

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url);
    env = envFor(config);
    const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    // Written by "cán bộ A", not approved.
    [itemId] = (await seedItems(db.kysely, 1, false)) as [number];
    await db.close();
  });
  afterAll(() => database.drop());

  test('the first admin is made on the server; passwords are read from standard input and checked', async () => {
    const first = await runLoa(
      ['users', 'add', 'Quản trị Tỉnh', '--admin'],
      { ...env, LOA_USER: '' },
      'mật-khẩu-quản-trị\n',
    );
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Đã thêm tài khoản "Quản trị Tỉnh": quản trị, toàn tỉnh.');
    const short = await loa(['users', 'add', 'Cán bộ Ngắn', '--unit', 'ubnd-xa-tan-lap'], 'Quản trị Tỉnh', 'ngắn\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Lỗi dữ liệu ở "mật khẩu": cần ít nhất 10 ký tự');
    const noUnit = await loa(['users', 'add', 'Cán bộ Không Đơn Vị'], 'Quản trị Tỉnh', 'mật-khẩu-đủ-dài\n');
    expect(noUnit.stderr).toContain('Lỗi dữ liệu ở "đơn vị"');
    const badRole = await loa(
      ['users', 'add', 'Ai Đó', '--unit', 'ubnd-xa-tan-lap', '--role', 'boss'],
      'Quản trị Tỉnh',
      'mật-khẩu-đủ-dài\n',
    );
    expect(badRole.stderr).toContain('Lỗi dữ liệu ở "--role"');
    expect(
      (
        await loa(
          ['users', 'add', 'Lãnh đạo Bình', '--unit', 'UBND xã Tân Lập', '--role', 'supervisor'],
          'Quản trị Tỉnh',
          'mật-khẩu-đủ-dài\n',
        )
      ).code,
    ).toBe(0);
    const users = JSON.parse((await loa(['users', '--json'], 'Quản trị Tỉnh')).stdout) as Array<{
      name: string;
      role: string;
      unitId: string | null;
    }>;
    expect(users.map((u) => [u.name, u.role, u.unitId])).toEqual([
      ['Lãnh đạo Bình', 'supervisor', 'ubnd-xa-tan-lap'],
      ['Quản trị Tỉnh', 'admin', null],
    ]);
    expect((await loa(['users', 'passwd', 'Lãnh đạo Bình'], 'Quản trị Tỉnh', 'mật-khẩu-mới-đủ-dài\n')).code).toBe(0);
    expect((await loa(['users', 'disable', 'Lãnh đạo Bình'], 'Quản trị Tỉnh')).stdout).toContain('Đã khóa');
  });

  test('the author never approves their own item, however the name is typed; someone else can', async () => {
    for (const name of ['cán bộ A', '  Cán Bộ A ', 'cán bộ A'.normalize('NFD')]) {
      const own = await loa(['approve', String(itemId)], name);
      expect(own.code).toBe(1);
      expect(own.stderr).toContain(`không được tự duyệt nội dung số ${itemId}`);
    }
    const rejected = await loa(
      ['reject', String(itemId), '--reason', 'Thiếu giờ làm việc của bộ phận một cửa'],
      'Lãnh đạo Bình',
    );
    expect(rejected.stdout).toContain('Đã trả lại');
    const listed = JSON.parse((await loa(['items', '--json'], 'x')).stdout) as Array<{
      id: number;
      rejection: { reason: string } | null;
      approvedBy: string | null;
    }>;
    expect(listed.find((i) => i.id === itemId)).toMatchObject({
      rejection: { reason: 'Thiếu giờ làm việc của bộ phận một cửa' },
      approvedBy: null,
    });
    // The author edits it: the rejection is cleared, it waits for approval again.
    expect(
      (await loa(['items', 'edit', String(itemId), '--body', 'Bộ phận một cửa làm việc từ 7 giờ 30.'], 'cán bộ A'))
        .code,
    ).toBe(0);
    const edited = JSON.parse((await loa(['items', '--json'], 'x')).stdout) as Array<{
      id: number;
      rejection: unknown;
    }>;
    expect(edited.find((i) => i.id === itemId)!.rejection).toBeNull();
    const approved = await loa(['approve', String(itemId)], 'Lãnh đạo Bình');
    expect(approved.code).toBe(0);
  });

  test('pause and resume from the command line, with a reason, both in the audit trail as CLI', async () => {
    expect((await loa(['pause'], 'Quản trị Tỉnh')).stderr).toContain('Lỗi dữ liệu ở "reason"');
    expect((await loa(['pause', '--reason', 'Ngày quốc tang'], 'Quản trị Tỉnh')).stdout).toContain(
      'Đã tạm dừng đăng bài toàn tỉnh: Ngày quốc tang',
    );
    expect((await loa(['pause', '--status'], 'Quản trị Tỉnh')).stdout).toContain('Đang tạm dừng toàn tỉnh');
    expect((await loa(['pause', '--reason', 'lần nữa'], 'Quản trị Tỉnh')).stderr).toContain(
      'đang tạm dừng đăng bài rồi',
    );
    expect((await loa(['resume'], 'Quản trị Tỉnh')).stdout).toContain('Đã tiếp tục đăng bài toàn tỉnh');

    const audit = JSON.parse((await loa(['audit', '--json'], 'Quản trị Tỉnh')).stdout) as Array<{
      actor: string;
      source: string;
      action: string;
      subject: string;
    }>;
    const lines = audit.map((e) => `${e.source} ${e.actor} ${e.action} ${e.subject}`).reverse();
    expect(lines).toEqual([
      'CLI Quản trị Tỉnh user.add Quản trị Tỉnh',
      'CLI Quản trị Tỉnh user.add Lãnh đạo Bình',
      'CLI Quản trị Tỉnh user.password Lãnh đạo Bình',
      'CLI Quản trị Tỉnh user.disable Lãnh đạo Bình',
      `CLI Lãnh đạo Bình item.reject ${itemId}`,
      `CLI cán bộ A item.edit ${itemId}`,
      `CLI Lãnh đạo Bình item.approve ${itemId}`,
      'CLI Quản trị Tỉnh publishing.pause toàn tỉnh',
      'CLI Quản trị Tỉnh publishing.resume toàn tỉnh',
    ]);
  });

  // Once failed on SQLite inside the full suite ("did not throw"): the SqliteError came from an earlier test file's
  // realm, not from the trigger missing; every test file now gets its own (test/support/sqlite-realm.ts).
  test('the audit trail cannot be changed or deleted, even with the database open', async () => {
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    try {
      await recordAudit(
        db.kysely,
        { name: 'Kiểm thử', role: 'admin', unitId: null, source: 'CLI' },
        'unit.add',
        1,
        null,
      );
      const before = await db.kysely.selectFrom('audit_log').selectAll().execute();
      expect(before.length).toBeGreaterThan(0);
      // Said first, so a failure tells which cause it is: the triggers missing from this file, or present and not firing.
      if (kind === 'sqlite') {
        const triggers = await sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log' ORDER BY name`.execute(
          db.kysely,
        );
        expect(triggers.rows.map((t) => t.name)).toEqual(['audit_log_no_delete', 'audit_log_no_update']);
      }
      const update = db.kysely
        .updateTable('audit_log')
        .set({ actor: 'người khác' })
        .executeTakeFirst()
        .then((r) => `không bị chặn: ${String(r.numUpdatedRows)} dòng đã sửa`);
      await expect(update).rejects.toThrow(/chỉ được ghi thêm/);
      await expect(db.kysely.deleteFrom('audit_log').execute()).rejects.toThrow(/chỉ được ghi thêm/);
      expect(await db.kysely.selectFrom('audit_log').selectAll().execute()).toEqual(before);
    } finally {
      await db.close();
    }
  });
});

/**
 * Finding 1 and 21 of issue 27: every address Loa asks on an officer's or a feed's behalf passes the outbound guard.
 * An item's image (and an image line of its body) queued on Zalo is never asked for when it points at this machine
 * or the office network: the worker's attempt fails as bad content, and the log says why without the target's answer.
 */
import path from 'node:path';

import { Templates } from '../../channels/template';
import { ZaloAdapter } from '../../channels/zalo/zalo-adapter';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { checkLiteralHost, isPublicAddress, PrivateAddressError } from '../../src/outbound/address-guard';
import { fetchableImage } from '../../src/sources/poll-source';
import { testAttempt } from '../support/attempt';
import { PROJECT } from '../support/services';
import { zaloPost, zaloRig } from '../support/zalo';

const DAY = new Date('2031-03-10T02:00:00Z');

describe('item images on Zalo go through the outbound guard (worker)', () => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = new FakeZalo();
    await fake.start();
  });
  afterEach(() => fake.stop());

  /** The rig's adapter, but as an installation runs it: private addresses refused (LOA_OUTBOUND_ALLOW_PRIVATE unset). */
  function guardedAdapter() {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    return new ZaloAdapter({
      templates: new Templates(path.join(PROJECT, 'templates')),
      client: rig.client,
      tokens: rig.tokens,
      now: () => DAY,
      verifyFirstDelayMs: 50,
    });
  }

  const port = () => new URL(fake.url).port;
  test.each([
    ['the fake on loopback', (p: string) => `http://127.0.0.1:${p}/images/1000.jpg`],
    ['localhost', (p: string) => `http://localhost:${p}/images/1000.jpg`],
    ['IPv4-compatible IPv6 loopback', (p: string) => `http://[::127.0.0.1]:${p}/images/1000.jpg`],
    ['IPv4-mapped IPv6 loopback', (p: string) => `http://[::ffff:127.0.0.1]:${p}/images/1000.jpg`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/x.jpg'],
    ['an office address', () => 'http://10.0.0.7/anh.jpg'],
  ])('%s is never asked for; the attempt fails as bad content naming the field', async (_name, address) => {
    const adapter = guardedAdapter();
    // Every image of the article (cover, image lines of the body) goes through the same check.
    const post = zaloPost({ image: address(port()) });
    const rendered = await adapter.render(post);
    const error = await adapter
      .publish(post, rendered, testAttempt([], DAY))
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'bad-content',
      message: expect.stringMatching(/Ảnh bìa \(cover\).*mạng nội bộ/),
    });
    expect((error as Error).message).not.toMatch(/HTTP \d{3}|UND_ERR|ECONNREFUSED/);
    expect(fake.requests.filter((r) => r.url.startsWith('/images'))).toHaveLength(0);
    expect(fake.articles).toHaveLength(0);
  });
});

describe('the address guard', () => {
  test.each([
    '::7f00:1',
    '::a00:1',
    '::',
    '::ffff:7f00:1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'fe80::1',
    '100.64.0.1',
  ])('%s is not public', (address) => expect(isPublicAddress(address)).toBe(false));
  test('[::127.0.0.1] written in a URL is refused before connecting', () => {
    expect(() => checkLiteralHost(new URL('http://[::127.0.0.1]:6379/').hostname, false)).toThrow(PrivateAddressError);
    expect(() => checkLiteralHost('localhost', false)).toThrow(/mạng nội bộ/);
  });
});

describe('feed drafts keep only images Loa may ask for', () => {
  test.each([
    ['http://127.0.0.1:8080/anh/1.jpg', null],
    ['http://[::1]/anh.jpg', null],
    ['http://169.254.169.254/anh.jpg', null],
    ['http://localhost/anh.jpg', null],
    ['https://cong.example.vn/anh/1.jpg', 'https://cong.example.vn/anh/1.jpg'],
  ])('%s → %s', (image, kept) => expect(fetchableImage(image, false)).toBe(kept));
});

import { isJsyncError, Timestamp } from '@jsync/core';
import { describe, expect, it } from 'vitest';
import type { JfsDocument } from '../../src/api/types.js';
import { parseJfsDocument } from '../../src/api/xml.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const t = (iso: string): bigint => Timestamp.parse(iso).ns;

function kindOf<K extends JfsDocument['kind']>(doc: JfsDocument, kind: K): JfsDocument & { kind: K } {
  expect(doc.kind).toBe(kind);
  return doc as JfsDocument & { kind: K };
}

function invalid(xml: string): Error {
  try {
    parseJfsDocument(xml);
  } catch (err) {
    expect(isJsyncError(err, 'IO')).toBe(true);
    expect((err as Error).message).toMatch(/^invalid XML from Jottacloud: /);
    return err as Error;
  }
  throw new Error(`accepted: ${xml}`);
}

describe('parseJfsDocument: documents from the spec (§5.2) and rclone api/types.go', () => {
  it('<user>', () => {
    const { user } = kindOf(parseJfsDocument(`${HEAD}<user time="2018-07-18-T21:39:10Z" host="dn-132">
	<username>12qh1wsht8cssxdtwl15rqh9</username>
	<account-type>free</account-type>
	<locked>false</locked>
	<capacity>5368709120</capacity>
	<max-devices>-1</max-devices>
	<max-mobile-devices>-1</max-mobile-devices>
	<usage>1234</usage>
	<read-locked>false</read-locked>
	<write-locked>false</write-locked>
	<quota-write-locked>false</quota-write-locked>
	<enable-sync>true</enable-sync>
	<enable-foldershare>true</enable-foldershare>
	<devices>
		<device>
			<name xml:space="preserve">Jotta</name>
			<display_name xml:space="preserve">Jotta</display_name>
			<type>JOTTA</type>
			<sid>5c458d01-9eaf-4f23-8d3c-2486fd9704d8</sid>
			<size>77</size>
			<modified>2018-07-15-T22:04:59Z</modified>
		</device>
		<device><name xml:space="preserve"> My PC </name><type>WORKSTATION</type><size></size></device>
	</devices>
</user>`), 'user');
    expect(user).toEqual({
      username: '12qh1wsht8cssxdtwl15rqh9', accountType: 'free', locked: false, capacity: 5368709120, usage: 1234,
      devices: [{ name: 'Jotta', type: 'JOTTA', size: 77 }, { name: ' My PC ', type: 'WORKSTATION', size: 0 }],
    });
    const unlimited = kindOf(parseJfsDocument('<user><username>u</username><locked>true</locked><capacity>-1</capacity></user>'), 'user').user;
    expect(unlimited).toMatchObject({ capacity: -1, locked: true, usage: 0, devices: [] });
  });

  it('<device> with listed and deleted mountpoints', () => {
    const { device } = kindOf(parseJfsDocument(`${HEAD}<device time="2018-07-23-T20:21:50Z" host="dn-158">
	<name xml:space="preserve">Jotta</name><display_name xml:space="preserve">Jotta</display_name>
	<type>JOTTA</type><sid>5c458d01</sid><size>0</size><modified>2018-07-15-T22:04:59Z</modified><user>u</user>
	<mountPoints>
		<mountPoint><name xml:space="preserve">Archive</name><size>10</size><modified>2018-07-15-T22:04:59Z</modified></mountPoint>
		<mountPoint><name xml:space="preserve">Shared</name><size>0</size><modified></modified></mountPoint>
		<mountPoint><name xml:space="preserve">Old</name><deleted>2019-01-01-T00:00:00Z</deleted><abspath xml:space="preserve">/u/Jotta</abspath><size>5</size></mountPoint>
	</mountPoints>
	<metadata first="" max="" total="3" num_mountpoints="3"/>
</device>`), 'device');
    expect(device).toEqual({
      name: 'Jotta', type: 'JOTTA',
      mountPoints: [{ name: 'Archive', deleted: false, size: 10 }, { name: 'Shared', deleted: false, size: 0 }, { name: 'Old', deleted: true, size: 5 }],
    });
  });

  it('<mountPoint>: name from the <name> element, children through the folder shape', () => {
    const doc = kindOf(parseJfsDocument(`${HEAD}<mountPoint time="2018-07-24-T20:35:02Z" host="dn-157">
	<name xml:space="preserve">Sync</name>
	<path xml:space="preserve">/12qh/Jotta</path>
	<abspath xml:space="preserve">/12qh/Jotta</abspath>
	<size>0</size>
	<modified></modified>
	<device>Jotta</device>
	<user>12qh</user>
	<folders>
		<folder name="test"/>
	</folders>
	<metadata first="" max="" total="1" num_folders="1" num_files="0"/>
</mountPoint>`), 'mountPoint');
    expect(doc.folder).toEqual({ name: 'Sync', deleted: false, path: '/12qh/Jotta', folders: [{ name: 'test', deleted: false }], files: [] });
  });

  it('<folder> with live and deleted children and files in every revision state', () => {
    const { folder } = kindOf(parseJfsDocument(`${HEAD}<folder name="test" time="2018-07-24-T20:41:37Z" host="dn-158">
	<path xml:space="preserve">/12qh/Jotta/Sync</path>
	<abspath xml:space="preserve">/12qh/Jotta/Sync</abspath>
	<folders>
		<folder name="t2"/>c
		<folder name="gone" deleted="2018-07-24-T20:40:00Z"><abspath xml:space="preserve">/12qh/Jotta/Sync/test</abspath></folder>
	</folders>
	<files>
		<file name="block.csv" uuid="f6553cd4-1135-48fe-8e6a-bb9565c50ef2">
			<currentRevision>
				<number>1</number>
				<state>COMPLETED</state>
				<created>2018-07-05-T15:08:02Z</created>
				<modified>2018-07-05-T17:08:02+0200</modified>
				<mime>application/octet-stream</mime>
				<size>30827730</size>
				<md5>1e8a7b728ab678048df00075c9507158</md5>
				<updated>2018-07-24-T20:41:10Z</updated>
			</currentRevision>
		</file>
		<file name="half.bin" uuid="u2">
			<latestRevision><number>1</number><state>INCOMPLETE</state><created>2018-07-05-T15:08:02Z</created><modified>2018-07-05-T15:08:02Z</modified><mime>application/octet-stream</mime><md5>00112233445566778899aabbccddeeff</md5><updated>2018-07-24-T20:41:10Z</updated></latestRevision>
		</file>
		<file name="old.txt" uuid="u3" deleted="2018-07-24-T20:00:00Z">
			<path xml:space="preserve">/12qh/Jotta/Sync/test</path><abspath xml:space="preserve">/12qh/Jotta/Sync/test</abspath>
			<currentRevision><number>2</number><state>COMPLETED</state><created></created><modified></modified><mime>text/plain</mime><size>0</size><md5>d41d8cd98f00b204e9800998ecf8427e</md5><updated>2018-07-24-T19:00:00Z</updated></currentRevision>
			<latestRevision><number>3</number><state>CORRUPT</state><md5>ffffffffffffffffffffffffffffffff</md5></latestRevision>
		</file>
	</files>
	<metadata first="" max="" total="5" num_folders="2" num_files="3"/>
</folder>`), 'folder');
    expect(folder.name).toBe('test');
    expect(folder.deleted).toBe(false);
    expect(folder.path).toBe('/12qh/Jotta/Sync');
    expect(folder.folders).toEqual([{ name: 't2', deleted: false }, { name: 'gone', deleted: true }]);
    const [block, half, old] = folder.files;
    expect(block).toMatchObject({ name: 'block.csv', uuid: 'f6553cd4-1135-48fe-8e6a-bb9565c50ef2', deleted: false });
    expect(block!.currentRevision).toMatchObject({ number: 1, state: 'COMPLETED', mime: 'application/octet-stream', size: 30827730, md5: '1e8a7b728ab678048df00075c9507158' });
    expect(block!.currentRevision!.created!.ns).toBe(t('2018-07-05T15:08:02Z'));
    expect(block!.currentRevision!.modified!.ns).toBe(t('2018-07-05T15:08:02Z'));
    expect(block!.currentRevision!.updated!.ns).toBe(t('2018-07-24T20:41:10Z'));
    expect(block!.latestRevision).toBeUndefined();
    expect(half!.currentRevision).toBeUndefined();
    expect(half!.latestRevision).toMatchObject({ state: 'INCOMPLETE', number: 1 });
    expect(half!.latestRevision!.size).toBeUndefined();
    expect(old).toMatchObject({ name: 'old.txt', deleted: true, path: '/12qh/Jotta/Sync/test', abspath: '/12qh/Jotta/Sync/test' });
    expect(old!.currentRevision!.created).toBeUndefined();
    expect(old!.currentRevision!.size).toBe(0);
    expect(old!.latestRevision).toEqual({ number: 3, state: 'CORRUPT', md5: 'ffffffffffffffffffffffffffffffff' });
  });

  it('a deleted root folder and a folder without children elements', () => {
    const { folder } = kindOf(parseJfsDocument('<folder name="x" deleted="2020-01-01-T00:00:00Z"><path>/u/Jotta/Archive</path></folder>'), 'folder');
    expect(folder).toEqual({ name: 'x', deleted: true, path: '/u/Jotta/Archive', folders: [], files: [] });
  });

  it('<file> root document (spec example)', () => {
    const { file } = kindOf(parseJfsDocument(`${HEAD}<file name="report.txt" uuid="0b7c7d3e-1111-2222-3333-444455556666" time="2024-01-02-T10:00:00Z" host="dn-fake">
  <path xml:space="preserve">/u1/Jotta/Archive/docs</path>
  <abspath xml:space="preserve">/u1/Jotta/Archive/docs</abspath>
  <publicURI>0123456789abcdef0123456789abcdef</publicURI>
  <currentRevision>
    <number>2</number><state>COMPLETED</state>
    <created>2023-12-31-T09:00:00Z</created><modified>2024-01-01-T08:00:00Z</modified>
    <mime>text/plain</mime><size>1234</size>
    <md5>0cc175b9c0f1b6a831c399e269772661</md5><updated>2024-01-02-T09:59:58Z</updated>
  </currentRevision>
  <revisions><revision><number>1</number><state>COMPLETED</state><size>1</size></revision></revisions>
</file>`), 'file');
    expect(file).toMatchObject({ name: 'report.txt', deleted: false, path: '/u1/Jotta/Archive/docs', publicURI: '0123456789abcdef0123456789abcdef' });
    expect(file.currentRevision).toMatchObject({ number: 2, size: 1234, md5: '0cc175b9c0f1b6a831c399e269772661', mime: 'text/plain' });
    expect(file.currentRevision!.modified!.ns).toBe(t('2024-01-01T08:00:00Z'));
  });

  it('<error>', () => {
    const { error } = kindOf(parseJfsDocument(`${HEAD}<error>
  <code>404</code>
  <message>no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/a &amp; b does not exist</message>
  <reason>Not Found</reason>
  <cause></cause>
  <hostname>dn-093</hostname>
  <x-id>171492478637</x-id>
</error>`), 'error');
    expect(error).toEqual({ code: 404, message: 'no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/a & b does not exist', reason: 'Not Found', cause: '' });
  });

  it('other roots are reported by name', () => {
    expect(parseJfsDocument('<filedirlist><folders/></filedirlist>')).toEqual({ kind: 'other', root: 'filedirlist' });
    expect(parseJfsDocument('<!-- hi --><searchresult/>')).toEqual({ kind: 'other', root: 'searchresult' });
  });
});

describe('parseJfsDocument: names are kept exactly', () => {
  const hostile = [
    ' lead and trail ', '  ', '007', '1e5', '0x1F', '-0', 'true', 'NaN', '12345678901234567890', '&amp;', 'a & b', '<tag>', '"q"', "it's",
    '😀 grin', 'e\u0301te (NFD)', '\u00e9te (NFC)', '\u2400\u2401ctl\u241F\u2421', '／＜＞＂：？＊｜％', '‛41', ']]>', '__proto__', 'constructor', 'x\ty', 'a\r\nb',
  ];
  const attr = (s: string): string => s.replace(/[&<>"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
  const text = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

  it('in attributes (folder and file names) and in preserved text (path, mountpoint and device names)', () => {
    const xml = `${HEAD}<mountPoint><name xml:space="preserve">${text(hostile.join('|'))}</name>` +
      `<path xml:space="preserve">${text(hostile.join('/'))}</path>` +
      `<folders>${hostile.map((n) => `<folder name="${attr(n)}"/>`).join('')}</folders>` +
      `<files>${hostile.map((n) => `<file name="${attr(n)}" uuid="${attr(n)}"><currentRevision><state>COMPLETED</state><mime>${text(n)}</mime></currentRevision></file>`).join('')}</files></mountPoint>`;
    const { folder } = kindOf(parseJfsDocument(xml), 'mountPoint');
    expect(folder.name).toBe(hostile.join('|'));
    expect(folder.path).toBe(hostile.join('/'));
    expect(folder.folders.map((f) => f.name)).toEqual(hostile);
    expect(folder.files.map((f) => f.name)).toEqual(hostile);
    expect(folder.files.map((f) => f.uuid)).toEqual(hostile);
    expect(folder.files.map((f) => f.currentRevision!.mime)).toEqual(hostile);
    for (const f of folder.files) expect(typeof f.name).toBe('string');
  });

  it('with unescaped >, single-quoted attributes and entities of every kind', () => {
    const { folder } = kindOf(parseJfsDocument(`<folder name='a>b "c"'><folders><folder name="&#x1F600;&#128512;&nbsp;&eacute;&unknown; AT&T"/></folders></folder>`), 'folder');
    expect(folder.name).toBe('a>b "c"');
    expect(folder.folders[0]!.name).toBe('😀😀\u00a0é&unknown; AT&T');
  });

  it('CDATA text is taken literally', () => {
    const { error } = kindOf(parseJfsDocument('<error><code> 500 </code><message><![CDATA[a &amp; <b>]]> &amp; c</message></error>'), 'error');
    expect(error.message).toBe('a &amp; <b> & c');
    expect(error.code).toBe(500);
  });
});

describe('parseJfsDocument: hostile and malformed input', () => {
  it('rejects DOCTYPE and entity declarations (billion laughs, external entities)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
      `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><folder name="&lol3;"/>`;
    expect(invalid(lol).message).toMatch(/DOCTYPE/);
    invalid('<!DOCTYPE folder SYSTEM "file:///etc/passwd"><folder name="&xxe;"/>');
    invalid('<!doctype folder><folder/>');
  });

  it('rejects malformed and truncated documents', () => {
    const good = `${HEAD}<folder name="x"><path>/u/a</path><folders><folder name="y"/></folders></folder>`;
    expect(() => parseJfsDocument(good)).not.toThrow();
    for (let cut = 1; cut < good.length - 1; cut++) {
      const truncated = good.slice(0, cut);
      if (truncated.trimEnd() === good.trimEnd()) continue;
      invalid(truncated);
    }
    for (const bad of ['', '   ', 'not xml', '<a><b></a>', '<a b=1/>', '<a b="1" b="2"/>', '<a><b>x</b>', '<a>x</a>junk<', '<a>\u0001</a>', '<a>&#0;</a>', '<a b="&#xFFFF;"/>']) {
      invalid(bad);
    }
  });

  it('rejects malformed numbers, booleans and times inside valid XML', () => {
    expect(() => parseJfsDocument('<user><capacity>12abc</capacity></user>')).toThrow(/capacity/);
    expect(() => parseJfsDocument('<user><locked>yes</locked></user>')).toThrow(/locked/);
    expect(() => parseJfsDocument('<folder><files><file name="a"><currentRevision><modified>2018-07-05T15:08:02Z</modified></currentRevision></file></files></folder>'))
      .toThrow(/2018-07-05T15:08:02Z/);
  });

  it('parses a large listing quickly', () => {
    const n = 10_000;
    const files = Array.from({ length: n }, (_, i) => `<file name="f${i}.txt" uuid="u${i}"><currentRevision><number>1</number><state>COMPLETED</state><created>2018-07-05-T15:08:02Z</created><modified>2018-07-05-T15:08:02Z</modified><mime>text/plain</mime><size>${i}</size><md5>0cc175b9c0f1b6a831c399e269772661</md5><updated>2018-07-24-T20:41:10Z</updated></currentRevision></file>`);
    const started = Date.now();
    const { folder } = kindOf(parseJfsDocument(`<folder name="big"><files>${files.join('\n')}</files></folder>`), 'folder');
    expect(folder.files).toHaveLength(n);
    expect(folder.files[n - 1]!.currentRevision!.size).toBe(n - 1);
    expect(Date.now() - started).toBeLessThan(30_000); // generous: CI machines are shared
  });
});

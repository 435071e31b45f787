// Child process of config-lock.test.ts: `node config-lock-child.mjs <compiled config-file.js url> <config> <mode> <n>`.
// mode `update`: n locked increments of [counter] n; mode `save`: n plain set+save of [other] n from a fresh load.
const [srcUrl, path, mode, count] = process.argv.slice(2);
const { ConfigFile } = await import(srcUrl);
const n = Number(count);
const pause = () => new Promise((r) => setTimeout(r, Math.random() * 3));
if (mode === 'update') {
  const cfg = await ConfigFile.load({ path });
  for (let i = 0; i < n; i++) {
    await cfg.update('counter', async (cur) => {
      const next = Number(cur.n ?? '0') + 1;
      await pause(); // widen the read-modify-write window
      return { n: String(next) };
    });
  }
} else {
  for (let i = 0; i < n; i++) {
    const cfg = await ConfigFile.load({ path });
    cfg.set('other', 'n', String(Number(cfg.get('other', 'n') ?? '0') + 1));
    await pause();
    await cfg.save();
  }
}

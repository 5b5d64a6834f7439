// Runs before `npm start` and `npm test`: installs the locked dependencies when
// node_modules is missing or older than package-lock.json, so a fresh clone needs
// nothing but the one command. Runs on whatever node is on the machine.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.log('依存パッケージをインストールしています (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

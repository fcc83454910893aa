import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import './styles.css';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app');

loadConfig().then(
  (config) => render(<App config={config} />, root),
  (error: unknown) => {
    root.textContent = `The console could not load its settings (${String(error)}).`;
  },
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link } from 'wouter';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { App } from './app/App.js';
// Marianne's stand-ins while it loads, shared with the public portal (server/src/portal/assets.ts).
import '@essaim/domain/marianne-repli.css';
import './app/styles.css';

startReactDsfr({ defaultColorScheme: 'system', Link });

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('Élément #root absent de index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

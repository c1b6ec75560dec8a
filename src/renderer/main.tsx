import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectClient } from './api/client';
import { ApiError, describeCode } from './api/errors';
import { App } from './app/App';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);

connectClient().then(
  (client) =>
    root.render(
      <StrictMode>
        <App client={client} />
      </StrictMode>,
    ),
  (err: unknown) => {
    const code = err instanceof ApiError ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : describeCode(code);
    root.render(
      <div className="fatal" data-testid="fatal" data-code={code}>
        <h1>Vigil</h1>
        <p>
          <span className="reason-code">{code}</span> {message}
        </p>
      </div>,
    );
  },
);

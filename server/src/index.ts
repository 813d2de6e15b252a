export { loadConfig, type Config } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { startServer, type RunningServer } from './server.js';
export { createApp, type App } from './app.js';
export { indexOf } from './services/indexingService.js';

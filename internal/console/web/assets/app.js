// Entry point of the console (loaded by index.html as a module).
import { start } from './lib/router.js';

start();

/** `npm run -s events` prints the JSON Schema of every event agencies receive. */
import { eventJsonSchemas } from '../events/index.ts';

console.log(JSON.stringify(eventJsonSchemas(), null, 2));

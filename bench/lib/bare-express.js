// The ceiling: a bare Express 5 app answering a fixed 4 KB JSON body, run as its own process
// so that it is measured exactly like our server.
import express from 'express';

const item = { item_key: 'f88f1e366aab64913744154e427ade89', name: 'Virtual Product', price: '1.00' };
const body = JSON.stringify({ items: Array.from({ length: 40 }, () => item) }).slice(0, 4096 - 2);
const fixed = `${body.slice(0, body.lastIndexOf('}') + 1)}]}`.padEnd(4096, ' ');

const app = express();
app.get('/', (_req, res) => {
  res.type('application/json').send(fixed);
});
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});

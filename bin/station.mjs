#!/usr/bin/env node
console.log('hello from station bin', import.meta.url);

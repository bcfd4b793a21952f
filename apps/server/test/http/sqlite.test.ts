import { defineHttpSuite } from './api-suite.js';

defineHttpSuite('sqlite');

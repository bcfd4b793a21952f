import { defineCartApiSuite } from './cart-api-suite.js';

defineCartApiSuite('sqlite');

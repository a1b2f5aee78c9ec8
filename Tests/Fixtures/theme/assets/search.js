// The fixture theme's search script: the tests check only that it is served.

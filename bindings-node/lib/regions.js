// @ts-check
'use strict';
// The regions, keyed as in the official SDK: the table is generated from the core's
// (generated/tables.js, written by scripts/codegen), so the two cannot drift apart.
const { REGION_HOSTS } = require('../generated/tables.js');

const PureCloudRegionHosts = REGION_HOSTS;

module.exports = { PureCloudRegionHosts };

// Entry of the pages that list videos (the video list and the home pages): live status badges.

import { watchVideoStatus } from "../status.js";

watchVideoStatus();

// Entry of the watch page (video/show.html): the player, the live status while processing, and
// on a ready video the review panel and the transcript.

import { bootPlayer } from "../player/index.js";
import { bootReview } from "../review/index.js";
import { watchVideoStatus } from "../status.js";
import { bootTranscript } from "../transcript.js";

bootPlayer();
watchVideoStatus();
const reviewData = document.getElementById("review-data");
const video = document.getElementById("video");
if (reviewData && video) {
  const data = JSON.parse(reviewData.textContent);
  bootReview(video, data);
  bootTranscript(video, data);
}

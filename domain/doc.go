// Package domain holds the records of a community's matchmaking as the
// app hands them out and the store keeps them: rounds and their
// suggestions and jobs, introductions and their figures, drafts read from
// pastes, members, their tokens and email links, areas, interests,
// answers about matches and what they teach, digests and what they must
// leave out, the filters and counts of listing and importing. It has no
// I/O; the store reads and writes these on SQLite, the app's use cases
// work with them, and the API turns them into JSON without knowing the
// store. (Posts, lanes, quarters and errors are match's; partnerships are
// partner's.)
package domain

"""The sentence bank of the generated persona dialogues (chapter 09): topics, persona facts
with their revised rewrites and replies, chit-chat and follow-up lines, written for this course.
Data only; :mod:`.persona_gen` parses and uses it."""

# "= topic | question | question", then per fact "original | revised" and, indented on the
# next line, "reply | reply".
BANK = """
= pets | do you have any pets ? | what pets do you have ?
i have two dogs | a pair of canines share my house
    yes , two dogs are my pets | my two dogs love long walks
i have a cat named tiger | a sleepy feline rules my place
    my pets ? just a cat named tiger | tiger is my cat
i am allergic to animals | fur makes me sneeze and itch
    no pets , i am allergic | animals make me ill
i keep tropical fish | an aquarium glows beside my sofa
    my pets are tropical fish | i keep fish in a tank
= job | what kind of work do you do ? | where do you work ?
i work as a nurse | i care for patients on hospital wards
    i work as a nurse | long shifts as a nurse
i am a chef | i prepare meals for diners in a bistro
    i work in a kitchen as a chef | i am a chef
i teach math at a high school | teens solve equations in my classroom
    i work at a high school , teaching math | i am a math teacher
i drive a truck | i haul cargo along highways
    i drive a truck for work | long hours in my truck
= food | what is your favorite food ? | what food do you like to eat ?
i love pizza | nothing beats melted mozzarella on flatbread
    pizza is my favorite food | i eat pizza every friday
i am a vegetarian | meat never touches my plate
    vegetarian food , mostly beans and rice | i am a vegetarian
i eat sushi every week | raw salmon rolls are my weekly treat
    sushi is my favorite food | i eat sushi every week
i love spicy food | i put chili peppers on everything
    spicy food , the hotter the better | i love spicy food
= sport | do you play any sports ? | what sports do you play ?
i play soccer on weekends | i kick a ball with a team each saturday
    yes , i play soccer on weekends | soccer with friends every weekend
i like to ski | i glide down snowy alpine slopes
    i ski , winter sports are my thing | i ski whenever i can
i run marathons | i cover forty kilometers on foot in races
    i run marathons , no other sports | i have run three marathons
i hate sports | athletic contests bore me to tears
    no , i hate sports | sports are boring to me
= music | what kind of music do you like ? | what music do you listen to ?
i love country music | cowboy ballads fill my ears
    country music , all the way | i love country music
i listen to jazz | smooth saxophone tunes fill my evenings
    i listen to jazz music | jazz , mostly at night
i like heavy metal | i enjoy loud distorted riffs and screaming vocals
    heavy metal music | i like metal , the heavier the better
i sing in a choir | on sundays i perform hymns with a group
    choir music , i sing in one | i sing in a choir at church
= home | where do you live ? | what kind of place do you live in ?
i live in a big city | skyscrapers and traffic surround my apartment
    i live in a big city | the city is loud but i love it
i live on a farm | cows and tractors are my neighbors
    i live on a farm | a farm with lots of land
i live by the beach | i hear waves from my porch
    i live by the beach | the beach , sand everywhere
i live with my parents | mom and dad share a roof with me
    i live with my parents | with my parents , for now
= family | do you have a big family ? | tell me about your family .
i have three kids | i am raising a trio of youngsters
    three kids , a busy family | yes , i have three kids
i am an only child | no brothers or sisters grew up with me
    a small family , i am an only child | i am an only child
i am married | a ring has been on my finger since my wedding
    a small family , i am married with no kids | i am married
i just had a baby | a newborn keeps me awake
    a new baby in the family | i just had a baby girl
= travel | do you like to travel ? | do you travel much ?
i have been to paris | i visited the eiffel tower in france
    i have been to paris twice | i travel to paris when i can
i have never left my state | i have spent my whole life near my birthplace
    i never travel , i have never left my state | no , i have never left my state
i want to visit japan | i am saving up for a trip to tokyo
    i want to travel to japan someday | japan is next on my list
i travel for work a lot | my employer sends me on planes most weeks
    i travel for work a lot | work trips , every month
= hobby | what do you do for fun ? | any hobbies you do for fun ?
i like to knit | yarn and needles keep my hands occupied
    i knit hats for fun | i like to knit
i play chess | i move pawns and bishops on a board every evening
    chess , i play it for fun | i play chess online
i paint landscapes | i put mountains and rivers on canvas
    i paint landscapes for fun | painting landscapes , mostly
i build model trains | miniature railways cover my basement
    i build model trains for fun | model trains , i build them
= car | what do you drive ? | what car do you drive ?
i drive an old jeep | a rusty off-road vehicle sits in my driveway
    i drive an old jeep | my jeep is old but it runs
i ride a motorcycle | two wheels and a loud engine take me around
    i do not drive a car , i ride a motorcycle | a motorcycle , every day
i do not have a car | public transit gets me around
    i do not drive , no car | i do not have a car
i drive a tesla | my vehicle is electric and charges in my garage
    i drive a tesla | a tesla , i love it
= reading | do you like to read ? | what do you read ?
i love mystery novels | whodunit stories thrill me
    i read mystery novels | a good mystery novel
i read the bible | scripture is my morning ritual
    i read the bible | the bible , every day
i do not like reading | sitting with a book makes me sleepy
    reading is not for me , i never read | i do not like reading
i love fantasy books | tales of dragons and wizards fill my shelves
    i read fantasy books | fantasy books , mostly
= movies | do you watch movies ? | what movies do you like ?
i love horror movies | scary films with monsters are my thing
    i love horror movies | horror , the scarier the better
i watch star wars every year | jedi and lightsabers are my yearly tradition
    star wars movies , every year | i am a big star wars fan
i love romantic comedies | sweet films about couples make me happy
    romantic comedy movies | i love romantic comedies
i love cartoons | animated films are my guilty pleasure
    i watch cartoons more than movies | i still love cartoons
= school | are you in school ? | where did you go to school ?
i am in college | i attend university lectures
    i am in school , at college | college , second year
i dropped out of high school | i quit my studies as a teen
    i dropped out of high school | no , i dropped out
i have a phd in biology | i hold a doctorate in life science
    i have a phd in biology | grad school , biology
i study law | i am training to become an attorney
    i study law | law school , first year
= season | what is your favorite season ? | which season do you like best ?
i love winter | chilly snowfall months please me
    winter is my season | i love winter
i love summer | hot sunny months please me
    summer is my season | i love summer
i love fall | i enjoy when leaves turn orange
    fall is my season | i love fall
i hate the cold | low temperatures leave me miserable
    any season that is not cold | i hate the cold
= drink | what do you like to drink ? | what do you drink in the morning ?
i drink a lot of coffee | i need several espressos to function
    i drink lots of coffee | coffee , lots of it
i only drink tea | a kettle is always boiling at my place
    tea , only tea | i only drink tea
i do not drink alcohol | beer and wine never pass my lips
    i do not drink alcohol | no alcohol for me
i love soda | fizzy sugary pop is my weakness
    i drink soda all day | i love soda
= sleep | when do you wake up ? | do you wake up early ?
i wake up at 5 am | my alarm rings before sunrise
    i wake up at 5 am | 5 am , every day
i am a night owl | i stay awake past midnight
    i wake up late , i am a night owl | a night owl , i sleep late
i take naps every day | i doze on the couch each afternoon
    i wake up early and take naps | naps every day
i have insomnia | my mind races when i lie down
    i have insomnia , i wake up all night | insomnia , sadly
= exercise | do you exercise ? | what exercise do you do ?
i go to the gym every day | i lift weights each morning
    i go to the gym every day | the gym is my exercise
i do yoga | i stretch on a mat and breathe slowly
    yoga is my exercise | i do yoga
i swim laps | i do lengths in the pool most mornings
    i swim laps | swimming laps is my exercise
i never exercise | physical effort is not for me
    i never exercise | no exercise for me
= garden | do you grow anything ? | what do you grow in your garden ?
i grow tomatoes | juicy vine fruit ripens in my backyard
    i grow tomatoes | tomatoes , lots of them
i have a rose garden | fragrant thorny flowers bloom out back
    i grow roses in my rose garden | i have a rose garden
i have no garden | only concrete lies outside my door
    i have no garden | i grow nothing , no garden
i grow herbs | basil and mint sit on my windowsill
    i grow herbs | herbs in pots
= cooking | do you like to cook ? | can you cook ?
i love to bake | my oven is always full of sweet treats
    i love to bake | i cook , but mostly i bake cakes
i cannot cook | the stove and i are enemies
    i cannot cook | i cannot cook at all
i make my own pasta | i roll dough into noodles by hand
    i cook pasta from scratch | i make my own pasta
i grill every weekend | barbecue smoke drifts around on saturdays
    i grill every weekend | i cook on the grill
= shopping | do you like shopping ? | where do you go shopping for clothes ?
i love shopping | malls are my happy place
    i love shopping | shopping is my favorite thing
i buy clothes at thrift stores | secondhand outfits fill my closet
    i buy clothes at thrift stores | thrift stores are my shopping spot
i hate shopping | crowded malls stress me
    no , i hate shopping | i hate shopping
i shop online | packages arrive at my door weekly
    i shop online | online shopping , always
= games | do you play games ? | what games do you like ?
i play video games all night | console controllers stay glued to my hands
    video games all night | i play video games
i love board games | monopoly and scrabble nights with friends
    i love board games | board games , every weekend
i play poker | cards and chips on a felt table
    i play poker | poker , the best of games
i do not play games | controllers confuse me
    i do not play games | no games for me
= hometown | what is your hometown ? | where is your hometown ?
i am from texas | i was raised among cowboys in the southwest
    texas is my hometown | i am from texas
i am from canada | maple syrup and hockey shaped my youth
    canada is my hometown | i am from canada
i am from mexico | tacos and mariachi filled my childhood
    my hometown is in mexico | i am from mexico
i am from a tiny village | fewer than a hundred people lived near me
    a tiny village is my hometown | a tiny village , you would not know it
= color | what is your favorite color ? | do you have a favorite color ?
my favorite color is blue | the shade of a clear sky pleases me most
    blue is my color | i like blue
my favorite color is green | the shade of fresh grass pleases me most
    green is my color | i like green
my favorite color is purple | the hue of grapes and lavender pleases me
    purple is my color | i like purple
i like black | everything in my wardrobe is dark
    black is my color | black , always
= dream | what is your dream ? | what do you dream of doing someday ?
i want to be a singer | i hope to perform songs for huge crowds
    my dream is to be a singer | i want to be a singer
i want to write a book | i hope to publish my own story
    my dream is to write a book | i want to write a book someday
i want to retire early | i hope to stop working at fifty
    my dream is to retire early | i want to retire early
i want to climb everest | i hope to stand on the highest peak on earth
    my dream is to climb everest | climbing everest someday
= fear | what are you afraid of ? | are you afraid of anything ?
i am afraid of heights | tall ladders and balconies terrify me
    i am afraid of heights | heights , for sure
i am scared of spiders | eight legged crawlers terrify me
    i am afraid of spiders | spiders scare me
i fear the ocean | deep water terrifies me
    i am afraid of the ocean | i fear the ocean
i am afraid of clowns | painted faces with red noses terrify me
    clowns , i am afraid of them | i am afraid of clowns
= language | do you speak other languages ? | what languages do you speak ?
i speak spanish | i am fluent in the tongue of madrid
    i speak spanish | yes , spanish
i speak three languages | i am trilingual
    i speak three languages | three languages , yes
i only speak english | i am monolingual
    i only speak english | just english
i am learning french | i take lessons to talk like a parisian
    i am learning french | french , i speak a little
= instrument | do you play an instrument ? | what instrument do you play ?
i play the guitar | i strum six strings
    i play the guitar | guitar , every night
i play the piano | ivory keys are my joy
    i play the piano | piano , since i was six
i play the drums | i bang on a kit with sticks
    i play the drums | drums , very loud
i cannot play any instrument | my attempts at melodies fail
    i cannot play any instrument | no instrument , sadly
= tech | are you good with computers ? | do you work with computers ?
i write code | i develop software for a startup
    i write code for computers | yes , i write code
i fix computers | i repair laptops and desktops
    i fix computers | yes , i fix computers for a living
i do not own a smartphone | i use a flip phone
    i am bad with computers , i have no smartphone | i do not own a smartphone
i love gadgets | electronic toys excite me
    i love gadgets and computers | gadgets , the newer the better
= collect | do you collect anything ? | what do you collect ?
i collect stamps | postage from many countries fills my albums
    i collect stamps | stamps from everywhere
i collect coins | i hoard rare currency
    i collect coins | old coins , mostly
i collect vinyl records | i hunt for lps at flea markets
    i collect vinyl records | records , mostly jazz
i collect comic books | superhero magazines pile up on my desk
    i collect comic books | comic books , hundreds of them
= tv | what do you watch on tv ? | what shows do you watch ?
i watch the news every night | current events broadcasts end my evenings
    i watch the news every night | the news , always
i love cooking shows | chefs competing on screen entertain me
    i watch cooking shows | i love cooking shows
i do not own a tv | there is no television in my place
    i do not own a tv | i do not watch , no tv
i binge crime dramas | detectives solving murders hook me
    i watch crime dramas | i binge crime dramas
"""

# Chit-chat: kind -> (questions, replies); the replies depend on no fact.
CHITCHAT = {
    "greeting": (("hi , how are you today ?", "hello ! how is it going ?",
                  "hey , how are you doing ?"),
                 ("i am doing well , thanks for asking .", "pretty good , and you ?",
                  "great , thanks ! nice to meet you .")),
    "activity": (("what are you up to ?", "what are you doing tonight ?"),
                 ("not much , just relaxing .", "just hanging out at home .")),
    "weather": (("how is the weather there ?", "is it nice outside ?"),
                ("sunny and warm today .", "it is raining again .")),
}
FOLLOW_UPS = ("oh wow , tell me more .", "really ? how is that ?", "that is cool ! say more .")
